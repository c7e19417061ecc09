// hearth: mediasoup 3.15 targets libsrtp "3.0-alpha", whose protect/unprotect
// calls take a size_t* length; Debian's libsrtp 2.5 takes an int*. This adapter
// converts at the 4 call sites (packets are at most a few KB, so int never overflows).
namespace
{
	template<typename SrtpFn>
	inline srtp_err_status_t HearthSrtpLen(SrtpFn fn, srtp_t session, void* data, size_t* len)
	{
		int intLen = static_cast<int>(*len);
		const srtp_err_status_t err = fn(session, data, &intLen);

		*len = static_cast<size_t>(intLen);

		return err;
	}
} // namespace
