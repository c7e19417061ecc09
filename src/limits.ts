// Every bound Hearth enforces, in one place, unit last (TIGER_STYLE). Values that an
// operator may tune are defaults for config keys (src/config.ts reads them from here);
// the rest are fixed by the protocol or by safety.

export const limits = {
  // storage writer
  writeBatchWindowMs: 1, // group commit: what arrives within this window shares a transaction
  writeBatchOpsMax: 1000, // ...but no more than this many operations per transaction
  writeQueueOpsMax: 100_000, // beyond this, writes fail fast with `unavailable` instead of growing memory
  busyTimeoutMs: 5000,

  // accounts
  usernameLengthMin: 3,
  usernameLengthMax: 32,
  displayNameLengthMax: 64,
  bioLengthMax: 500,
  passwordLengthMin: 10,
  passwordLengthMax: 1024, // argon2 input bound, keeps hashing time bounded
  deviceNameLengthMax: 100,
  accessTokenTtlMs: 15 * 60_000,
  refreshTokenTtlMs: 60 * 24 * 60 * 60_000,
  ownerClaimTtlMs: 24 * 60 * 60_000,
  inviteUsesMax: 10_000,
  inviteTtlMsMax: 365 * 24 * 60 * 60_000, // the longest expiry an invite may be given
  recoveryCodeCount: 10,
  loginAttemptsPerAccountPerWindow: 10,
  loginAttemptsPerIpPerWindow: 30,
  loginThrottleWindowMs: 15 * 60_000,
  loginThrottleKeysMax: 100_000, // accounts + IPs tracked by the in-memory login throttle; oldest dropped beyond
  totpSetupTtlMs: 10 * 60_000, // a started 2FA setup must be confirmed within this time
  authBodyBytesMax: 64 * 1024, // JSON bodies of /api/auth/*
  sessionsPerUserMax: 100,
  passwordResetTtlMs: 24 * 60 * 60_000, // an admin's one-time reset link works this long
  userListPageMax: 100, // admin user list page
  peopleSearchResultsMax: 50, // user.search answers at most this many people
  publicLookupsPerIpPerMinute: 30, // invite-info, reset-info and reset answers per client IP (no enumeration)
  publicLookupIpsMax: 100_000, // client IPs tracked for those lookups; full buckets, then the oldest, dropped beyond

  // protocol
  frameBytesMax: 256 * 1024,
  httpBodyBytesMax: 1024 * 1024,
  requestsPerSecondPerConnection: 50,
  requestsPerSecondPerUser: 100,
  requestBurst: 100,
  sendBufferBytesMax: 4 * 1024 * 1024,
  helloTimeoutMs: 10_000,
  heartbeatIntervalMs: 25_000,
  heartbeatJitterMs: 5_000,
  idleTimeoutSec: 60,
  sessionRecheckMs: 5_000, // backstop for revocations made outside this process (CLI); the bus is the fast path
  sessionSeenWriteIntervalMs: 60_000, // a live session's last-seen time is written at most this often
  ackWriteIntervalMs: 1000, // client acks are advisory: at most one storage write per session per interval
  closeGraceMs: 1000, // after bye, a peer that cannot even take the close frame is cut off
  rateBucketSweepIntervalMs: 60_000, // per-user request buckets of users without connections are dropped this often
  eventsPerFrameMax: 500,
  clientIdLengthMax: 64,
  idempotencyTtlMs: 24 * 60 * 60_000,

  // the client module (src/client): defaults a caller may override
  clientCallTimeoutMs: 15_000, // a request without a response by then fails with `timeout`
  clientAckDelayMs: 1000, // received events are acknowledged in one ack per this delay
  clientPingIntervalMs: 20_000, // a server silent for twice this is taken as a dead link
  clientBackoffBaseMs: 250, // first reconnect delay (then doubled, with jitter)
  clientBackoffMaxMs: 30_000,
  clientTokenRefreshMarginMs: 30_000, // an access token this close to expiry is refreshed before hello

  // event queues (per user)
  eventQueueEventsMax: 10_000,
  eventQueueAgeMs: 7 * 24 * 60 * 60_000,
  eventPruneIntervalMs: 60_000,
  eventReplayPageMax: 1000,

  // chats and messages
  chatTitleLengthMax: 128, // code points
  chatDescriptionLengthMax: 1000, // code points
  groupMembersMax: 1000,
  channelSubscribersMax: 100_000,
  membersPerRequestMax: 100, // user ids in one chat.create / member.add
  chatListSnapshotMax: 500, // chats in the welcome snapshot (most recently active first)
  messageTextLengthMax: 4096, // code points
  messageEntitiesMax: 100, // mentions + hashtags kept per message
  messageEditsMax: 100, // edits per message (each keeps a history row)
  hashtagLengthMax: 64, // code points after the #
  readReceiptsMembersMax: 50, // who-has-read is kept for chats with at most this many members
  chatInviteLinksPerChatMax: 100, // live (not revoked) invite links per group or channel
  chatInviteLinkUsesMax: 100_000, // the largest max-uses a link may be given
  chatInviteLinkTtlMsMax: 365 * 24 * 60 * 60_000, // the longest expiry a link may be given
  blocksPerUserMax: 10_000, // users one person may block
  reactionEmojiCodePointsMax: 16, // one emoji grapheme: ZWJ families, flags and skin tones fit
  reactionsDistinctPerMessageMax: 20, // different emoji on one message
  reactionsPerUserPerMessageMax: 3, // emoji one user may put on one message
  pinnedMessagesPerChatMax: 100,

  // calls (SFU)
  callParticipantsMax: 50, // people in one call
  callProducersPerParticipantMax: 4, // mic, camera, screen, screen audio
  callTransportsPerParticipantMax: 4, // send + recv, plus room for an ICE-restart replacement
  callConsumersPerParticipantMax: 400, // bounded by participants x producers anyway
  callsActiveMax: 1000, // calls at once on this server
  callRingTimeoutMs: 45_000, // an unanswered 1:1 call becomes a missed call
  callPeerLostGraceMs: 30_000, // a participant with no connected transport this long is dropped
  callRejoinGraceMs: 30_000, // after a worker death, the call waits this long for someone to rejoin
  callWorkerLoadSpill: 400, // producers + consumers on a call's worker beyond which new participants go to another worker (piped)
  callWorkerRespawnDelayMs: 1000, // between attempts to respawn a dead worker
  callActiveSpeakerIntervalMs: 300, // ActiveSpeakerObserver interval
  callActiveSpeakerEventGapMs: 1000, // at most one call.active_speaker event per call per this gap
  callNotifyMembersMax: 1000, // chat members told of call.started / call.ended (bigger channels see calls in the snapshot)
  callTurnCredentialTtlMs: 24 * 60 * 60_000, // ephemeral TURN credentials (calls.turnSecret)

  // typing and presence (ephemeral: never in event queues)
  typingThrottleMs: 3000, // at most one typing.start per user per chat is passed on per this gap
  typingTtlMs: 6000, // a typing indicator without a repeat ends after this
  typingMembersMax: 200, // bigger chats get no typing notices
  presenceCoalesceMs: 1000, // presence changes are gathered this long, then one frame per recipient
  presenceGroupMembersMax: 200, // presence is pushed to members of groups up to this size (and DM peers)
  presencePeersMax: 5000, // recipients of one user's presence push
  presenceSnapshotUsersMax: 500, // users in welcome.snapshot.presence; others via presence.get
  presenceRecentlyMs: 3 * 24 * 60 * 60_000, // hidden last seen: "recently" if seen within this, else "long_ago"

  // lists and pages
  pageSizeMax: 200,
  configFileBytesMax: 1024 * 1024,

  // metrics
  metricSeriesPerFamilyMax: 1000, // label sets per metric; more means a label leaked an unbounded value

  // operations
  portProbeTimeoutMs: 2000, // doctor/serve asking a held port's /healthz whether it is Hearth
  readyCheckTimeoutMs: 2000, // /readyz reports a part not ready if its check takes longer

  // TLS (local CA, ACME) and LAN discovery
  tlsCaValidDays: 3650, // the local CA people install once; ten years so they rarely do it again
  tlsLeafValidDays: 397, // browsers refuse server certificates valid longer than 398 days
  tlsRenewBeforeDays: 30, // a certificate with less left is re-issued (local CA) or renewed (ACME)
  tlsAddressCheckIntervalMs: 5 * 60_000, // how often LAN addresses and cert files are re-checked
  tlsCertFileBytesMax: 1024 * 1024, // own-mode certificate and key files
  acmeOrderTimeoutMs: 5 * 60_000, // one ACME issuance, from order to certificate
  acmeRetryDelayMs: 60 * 60_000, // after a failed ACME issuance or renewal
  mdnsTtlSec: 120, // TTL of announced records (RFC 6762 recommends 120 s for host records)

  // shutdown
  shutdownGraceMs: 10_000,
} as const;

export type Limits = typeof limits;
