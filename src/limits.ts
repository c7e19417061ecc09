// Every bound Hearth enforces, in one place, unit last (TIGER_STYLE). Values that an
// operator may tune are defaults for config keys (src/config.ts reads them from here);
// the rest are fixed by the protocol or by safety.

export const limits = {
  // storage writer
  writeBatchWindowMs: 1, // group commit: what arrives within this window shares a transaction
  writeBatchOpsMax: 1000, // ...but no more than this many operations per transaction
  writeQueueOpsMax: 100_000, // beyond this, writes fail fast with `unavailable` instead of growing memory
  busyTimeoutMs: 5000, // a writer waiting on another process (a CLI command) gives up after this
  // A message touches ≈ 6 B-tree leaves (the row, its indexes, the chat-log entry), one set
  // per chat: 100 chats written at once keep ≈ 1,000 pages hot, more than SQLite's default
  // 2 MiB cache holds (misses re-read pages from the WAL). Grows only as pages are used.
  sqliteCacheKiB: 32 * 1024, // page cache per connection
  // The commit that crosses this many WAL pages also checkpoints, in the writer's turn:
  // at SQLite's default (1,000 pages, ≈ 4 MiB) a busy server checkpointed every few
  // batches, copying the same hot pages again each time. The WAL file stays ≈ this size.
  walAutocheckpointPages: 10_000, // a commit that grows the WAL past this many pages (≈ 40 MiB) also checkpoints
  storageFreeBytesMin: 4 * 1024 * 1024, // /readyz is not ready while the database's filesystem has less free
  storageFaultNotReadyMs: 10_000, // ...nor for this long after a write failed for a reason of the disk or file

  // accounts
  usernameLengthMin: 3, // code points
  usernameLengthMax: 32, // code points
  displayNameLengthMax: 64, // code points
  bioLengthMax: 500, // code points
  passwordLengthMin: 10, // characters; shorter passwords are refused at registration and change
  passwordLengthMax: 1024, // argon2 input bound, keeps hashing time bounded
  deviceNameLengthMax: 100, // code points of a session's device name (from the User-Agent or the client)
  accessTokenTtlMs: 15 * 60_000, // an access token is valid this long; also the longest lifetime (exp - iat) a presented token may have
  accessTokenClockSkewMs: 5_000, // a token's iat may be this far ahead of the verifying clock (several processes)
  refreshTokenTtlMs: 60 * 24 * 60 * 60_000, // a session not used for this long is signed out
  ownerClaimTtlMs: 24 * 60 * 60_000, // the one-time owner claim link printed at first start
  inviteUsesMax: 10_000, // the largest max-uses a registration invite may be given
  inviteTtlMsMax: 365 * 24 * 60 * 60_000, // the longest expiry an invite may be given
  recoveryCodeCount: 10, // 2FA recovery codes issued at setup, each single-use
  loginAttemptsPerAccountPerWindow: 10, // failed logins per account per window, then rate_limited
  loginAttemptsPerIpPerWindow: 30, // failed logins per client IP per window, then rate_limited
  loginThrottleWindowMs: 15 * 60_000, // the window of the two login limits above
  loginThrottleKeysMax: 100_000, // accounts + IPs tracked by the in-memory login throttle; oldest dropped beyond
  registerAttemptsPerIpPerWindow: 20, // /api/auth/register attempts (successful or not) per client IP per login window
  claimAttemptsPerIpPerWindow: 10, // /api/auth/claim attempts per client IP per login window
  passwordHashRunningMax: 2, // argon2 hashes/verifications at once per process (64 MiB and a core each)
  passwordHashWaitingMax: 32, // waiting for a slot; beyond this `unavailable` (a wait of ~1 s of hashing at most)
  totpSetupTtlMs: 10 * 60_000, // a started 2FA setup must be confirmed within this time
  authBodyBytesMax: 64 * 1024, // JSON bodies of /api/auth/*
  sessionsPerUserMax: 100, // live sessions (devices) per user; one more login is limit_exceeded
  passwordResetTtlMs: 24 * 60 * 60_000, // an admin's one-time reset link works this long
  userListPageMax: 100, // admin user list page
  peopleSearchResultsMax: 50, // user.search answers at most this many people
  userGetManyMax: 100, // ids one user.get_many asks for (the protocol schema's maxItems)
  publicLookupsPerIpPerMinute: 30, // invite-info, reset-info and reset answers per client IP (no enumeration)
  publicLookupIpsMax: 100_000, // client IPs tracked for those lookups; full buckets, then the oldest, dropped beyond

  // protocol
  frameBytesMax: 256 * 1024, // one WebSocket frame; larger: bye frame_too_large
  // Declared lengths inside one client frame, checked before the decoder allocates
  // (src/protocol/shape.ts); beyond them the connection ends with protocol_error. Each is
  // far above what any method takes (member lists ≤ 1000, text ≤ 4096 code points).
  frameArrayItemsMax: 10_000, // items one msgpack array in a frame may declare
  frameMapEntriesMax: 1000, // entries one msgpack map in a frame may declare
  frameStringBytesMax: 128 * 1024, // str, bin and ext payloads
  frameDepthMax: 32, // nested arrays/maps, the frame's own map included
  // Sockets that have not completed hello are cheap to open and hold a file descriptor
  // each: beyond these the OLDEST such socket is closed (bye connection_shed), so a flood
  // cannot lock newcomers out. Both sit far below the fd limit (systemd: LimitNOFILE).
  unauthenticatedSocketsPerIpMax: 32, // sockets waiting for hello from one client address
  unauthenticatedSocketsMax: 512, // sockets waiting for hello in total
  connectionsPerUserMax: 64, // open sockets of one user (tabs and devices); beyond it hello gets too_many_connections
  httpBodyBytesMax: 1024 * 1024, // one HTTP request body; larger: payload_too_large
  requestsPerSecondPerConnection: 50, // request frames per second per connection (token bucket)
  requestsPerSecondPerUser: 100, // request frames per second per user across connections
  requestBurst: 100, // the most tokens a request bucket holds (two seconds' worth, up to this)
  sendBufferBytesMax: 4 * 1024 * 1024, // queued for one socket; beyond it: bye too_slow, the client resumes
  helloTimeoutMs: 10_000, // a new connection must send hello within this, else bye hello_timeout
  heartbeatIntervalMs: 25_000, // the server pings this often; silence for an interval: bye heartbeat_timeout
  heartbeatJitterMs: 5_000, // random extra on each heartbeat, so connections do not ping in step
  idleTimeoutSec: 60, // Bun closes a WebSocket that sent nothing (not even a pong) this long
  sessionRecheckMs: 5_000, // backstop for revocations made outside this process (CLI); the bus is the fast path
  sessionSeenWriteIntervalMs: 60_000, // a live session's last-seen time is written at most this often
  ackWriteIntervalMs: 1000, // client acks are advisory: at most one storage write per session per interval
  closeGraceMs: 1000, // after bye, a peer that cannot even take the close frame is cut off
  rateBucketSweepIntervalMs: 60_000, // per-user request buckets of users without connections are dropped this often
  eventsPerFrameMax: 500, // events in one events frame; more go in the next frame
  clientIdLengthMax: 64, // characters of a clientId (idempotency key)
  idempotencyTtlMs: 24 * 60 * 60_000, // a retry with the same clientId within this returns the first result

  // the client module (src/client): defaults a caller may override
  clientCallTimeoutMs: 15_000, // a request without a response by then fails with `timeout`
  clientAckDelayMs: 1000, // received events are acknowledged in one ack per this delay
  clientPingIntervalMs: 20_000, // a server silent for twice this is taken as a dead link
  clientBackoffBaseMs: 250, // first reconnect delay (then doubled, with jitter)
  clientBackoffMaxMs: 30_000, // the longest reconnect delay
  clientChatHeldEventsMax: 1000, // chat events held per chat past a gap while chat.difference is asked; beyond it the client resumes
  clientTokenRefreshMarginMs: 30_000, // an access token this close to expiry is refreshed before hello

  // event queues (per user)
  eventQueueEventsMax: 10_000, // events kept per user queue; older ones are pruned (resume_gap)
  eventQueueAgeMs: 7 * 24 * 60 * 60_000, // events older than this are pruned (resume_gap)
  eventPruneIntervalMs: 60_000, // how often queues are pruned
  resumeChatsMax: 1000, // chat positions one hello.resume may list (more: invalid_hello resume.chats)
  eventReplayPageMax: 1000, // events read from storage per replay page on resume

  // chat logs (one per chat: every chat-scoped change once, numbered by pos)
  chatDifferenceMax: 200, // chat events one resume or chat.difference answer carries for a chat; further behind gets chat_reset
  chatLogKeepMax: 5000, // newest events kept per chat log; an older position gets chat_reset
  chatLogKeepMs: 30 * 24 * 60 * 60_000, // chat log events older than this are pruned (chat_reset)
  chatsFollowedMax: 10_000, // chats one connection follows live (the user's most recently active); others catch up by chat.difference when opened
  entryHiddenUnreadMax: 100, // unread messages you hid that a chat entry lists by seq (a client ignores their later edits and deletions); beyond: counts may drift until the next read
  chatCatchUpPageMax: 200, // chat events read per storage page while a connection catches up on a chat

  // chats and messages
  chatTitleLengthMax: 128, // code points
  chatDescriptionLengthMax: 1000, // code points
  groupMembersMax: 200_000, // members of one group (the default and the highest chats.groupMembersMax)
  channelSubscribersMax: 1_000_000, // subscribers of one channel
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
  pinnedMessagesPerChatMax: 100, // pinned messages in one chat

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
  callActiveSpeakerEventGapMs: 1000, // at most one call.speaker_changed event per call per this gap
  callNotifyMembersMax: 1000, // chat members told of call.started / call.ended (bigger channels see calls in the snapshot)
  callSelfTestPackets: 50, // RTP packets `hearth doctor` sends through a worker to prove it forwards media
  callSelfTestWaitMs: 10_000, // ...and how long it waits for them (generous: an emulated worker is slow)
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

  // media: uploads, storage, serving (src/media/)
  uploadChunkBytesMax: 8 * 1024 * 1024, // one PATCH body of a resumable upload; streamed to disk, never buffered whole
  uploadCreateBodyBytesMax: 4 * 1024, // the JSON body of POST /api/uploads
  uploadsInProgressPerUserMax: 20, // unfinished uploads a user may hold at once; one more is limit_exceeded
  uploadIdleMs: 24 * 60 * 60_000, // an unfinished upload without new bytes this long is removed by the media GC
  uploadsPerUserPerMinute: 120, // default of media.uploadsPerMinute: new uploads per user per minute, then rate_limited
  uploadRateKeysMax: 100_000, // users tracked by the upload rate limiter; the oldest window is dropped beyond
  mediaFileBytesMax: 2 * 1024 * 1024 * 1024, // default of media.fileBytesMax: the largest file
  mediaUserQuotaBytes: 10 * 1024 * 1024 * 1024, // default of media.userQuotaBytes: a user's finished media plus unfinished uploads
  mediaNameLengthMax: 255, // code points of a file name as stored and served (longer names are cut)
  posterBytesMax: 16 * 1024 * 1024, // a client-made poster or thumbnail upload (purpose poster)
  posterSidePxMax: 1280, // a poster is re-encoded to fit inside this square (the largest thumbnail width)
  voiceWaveformBytesMax: 128, // a voice message's waveform (one byte 0-255 per bar)
  messageAttachmentsMax: 10, // media on one message (an album); more is too_many_attachments
  mediaUnattachedKeepMs: 24 * 60 * 60_000, // a finished upload never sent (nor set as a picture) is kept this long
  mediaGcIntervalMs: 10 * 60_000, // the media GC runs this often (and once shortly after start)
  mediaGcStartDelayMs: 30_000, // ...the first time this long after start
  mediaGcBatchMax: 500, // uploads, media and blobs handled per GC step; the rest waits for the next run
  mediaOrphanFileGraceMs: 60 * 60_000, // a file in the media dir with no row (a crash mid-upload) is removed after this
  mediaBackupMarkerMs: 60 * 60_000, // a backup's "in progress" marker younger than this stops the GC from deleting blobs
  mediaStatsTopUsersMax: 20, // heaviest users listed by media.stats and `hearth admin media`
  mediaCookieValueBytesMax: 512, // a hearth_media cookie value longer than this is not looked at

  // lists and pages
  pageSizeMax: 200, // items in one page of any list method; a larger limit is capped to it
  configFileBytesMax: 1024 * 1024, // the TOML config file

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
  tlsCaReplacedNoticeDays: 90, // the trust page tells people to re-trust this long after the local CA was replaced
  acmeOrderTimeoutMs: 5 * 60_000, // one ACME issuance, from order to certificate
  acmeRetryDelayMs: 60 * 60_000, // after a failed ACME issuance or renewal
  mdnsTtlSec: 120, // TTL of announced records (RFC 6762 recommends 120 s for host records)

  // link previews (src/previews/): what the server fetches for a URL someone typed
  previewUrlLengthMax: 2048, // characters of a URL preview.get or message.send may name
  previewRedirectsMax: 5, // redirects followed, each re-checked (address, scheme, port); one more: no preview
  previewFetchDeadlineMs: 5000, // the whole fetch of a preview: name lookups, every redirect, the head, and the image
  previewBodyBytesMax: 2 * 1024 * 1024, // bytes of a page read at most while looking for </head>; beyond: aborted, no preview
  previewImageBytesMax: 5 * 1024 * 1024, // bytes of a preview image fetched; beyond: aborted, preview without image
  previewImageWidthPx: 1200, // a preview image is re-encoded to fit inside this many pixels square (og:image is usually 1200 wide)
  previewTitleLengthMax: 300, // code points of a preview's title (longer: cut, with …)
  previewDescriptionLengthMax: 1000, // code points of a preview's description
  previewSiteNameLengthMax: 100, // code points of a preview's site name
  previewCacheTtlMs: 24 * 60 * 60_000, // a fetched preview is reused this long (for every user)
  previewNegativeCacheTtlMs: 10 * 60_000, // "no preview" for a URL is remembered this long
  previewCachePruneRowsMax: 100, // expired cache rows, and unused preview images, deleted with each cache write
  previewFetchesRunningMax: 4, // page fetches at once per server
  previewFetchesWaitingMax: 64, // waiting for a slot; beyond: preview.get answers unavailable, a send goes without
  previewRequestsPerUserPerMinute: 30, // preview.get calls per user (burst of the same size), then rate_limited
  previewUsersTrackedMax: 100_000, // users whose preview.get bucket is kept in memory; full buckets dropped first

  // media processing (src/media/image, src/media/probe): decompression-bomb bounds, checked from headers first
  imageInputPixelsMax: 100_000_000, // width x height of one image (one frame); sharp's limitInputPixels; 100 MP holds any phone photo (decoded ≤ 400 MB)
  imageSidePxMax: 32_768, // width or height of an image or video in pixels (panoramas fit; a 20,000 x 20,000 header is still refused for its pixels)
  imageFramesMax: 500, // frames of an animated GIF/WebP kept in the served copy; thumbnails use the first frame only
  imageAnimationPixelsMax: 400_000_000, // width x height x frames of an animated image re-encoded for serving
  imageJobsRunningMax: 2, // image jobs (decode, strip, thumbnails) at once per process; each uses libvips threads, not the event loop
  imageJobsWaitingMax: 64, // image jobs waiting for a slot; beyond this a job answers `busy` (the upload keeps a file card)
  imageJobTimeoutMs: 30_000, // one sharp pipeline; longer answers `timeout`
  imageThumbhashSidePx: 100, // thumbhash input is at most this many pixels on its longer side (the format's own bound)
  mediaDurationMsMax: 24 * 60 * 60_000, // audio/video longer than this (as the container says) is `too_long`
  probeReadBytesMax: 16 * 1024 * 1024, // bytes of one file the container parsers read (boxes, EBML headers, the tail for Ogg/WebM)
  probeTopBoxesMax: 4096, // top-level MP4 boxes walked (one read each) looking for moov; real files have a handful before it
  probeElementsMax: 100_000, // MP4 boxes / EBML elements / Ogg pages one probe walks before giving up as `corrupt`

  // notifications (Web Push, src/push/)
  pushEndpointCharsMax: 1024, // a subscription's endpoint URL; browsers' push services use well under 300
  pushQueueMax: 10_000, // pushes waiting to be sent; beyond it new ones are refused and counted (hearth_push_dropped_total)
  pushInFlightMax: 32, // push-service requests open at once
  pushPerUserPerMinuteMax: 60, // pushes to one user per minute (token bucket, burst = this); more are counted as dropped
  pushDropLogIntervalMs: 10_000, // a "push dropped" warning per reason at most this often (every drop is counted in metrics)
  pushAttemptsMax: 5, // tries of one push (429/5xx/network error back off) before it is given up and counted
  pushBackoffBaseMs: 1_000, // first back-off after a 5xx or network error; doubles per attempt
  pushBackoffMaxMs: 10 * 60_000, // longest back-off, and the most of a Retry-After honoured
  pushRequestTimeoutMs: 15_000, // one request to a push service
  pushCoalesceMs: 3_000, // messages to one person in one chat within this after a push become one "N new messages" push
  pushCoalescingMax: 50_000, // (person, chat) windows held at once; beyond it a message is pushed on its own
  pushPayloadBytesMax: 3_000, // plaintext JSON of a push (RFC 8291 allows 3993 in one record); longer text is cut
  pushBodyCharsMax: 200, // characters of message text in a push body
  pushMessageTtlSec: 24 * 60 * 60, // how long a push service keeps an undelivered message push
  pushCallTtlSec: 30, // ...a call push (a ring nobody answers in 30 s is over)
  pushRingsTrackedMax: 10_000, // pushed rings remembered until their call ends (to replace them with "Missed call")
  pushVapidTtlMs: 12 * 60 * 60_000, // exp of the VAPID JWT (RFC 8292 allows at most 24 h)
  pushVapidReuseMs: 60 * 60_000, // a signed JWT is reused per push-service origin for this long
  pushOriginsMax: 1_000, // push-service origins with a cached VAPID token or a back-off state
  pushTopicCharsMax: 32, // the Topic header (RFC 8030: at most 32 base64url characters)
  pushActionTtlMs: 24 * 60 * 60_000, // a notification's mark-read/reply capability works this long (the message push's TTL)
  pushActionsPerMinuteMax: 30, // mark-read/reply requests per session per minute (token bucket)
  notifyTzCharsMax: 64, // an IANA time-zone name in a do-not-disturb schedule
  presenceDndSweepMs: 60_000, // how often a do-not-disturb start or end (schedule, manual until) is looked for, to push presence `dnd`

  // admin console (src/admin/)
  ipBlocksMax: 1_000, // IP blocks in force at once (expired ones are dropped first); one more is limit_exceeded
  ipBlockNoteCharsMax: 200, // an IP block's note
  ipBlockTtlMsMax: 10 * 365 * 24 * 60 * 60_000, // the longest expiry one may give a block (none = until removed)
  ipBlockRefreshMs: 2_000, // the edge re-reads the block table at least this often (blocks made by the CLI in another process)
  auditPageMax: 100, // admin.audit entries per page
  auditRowsMax: 50_000, // audit entries kept; the oldest beyond it are dropped on each write
  auditRetentionMs: 365 * 24 * 60 * 60_000, // audit entries older than this are dropped on each write
  auditDetailCharsMax: 500, // an audit entry's detail text
  adminStorageRowsMax: 50, // users and chats listed by admin.storage (heaviest first)

  // account deletion (src/accounts/deletion.ts)
  accountDeletionGraceMsDefault: 7 * 24 * 60 * 60_000, // default of accounts.deletionGraceMs: a requested deletion is purged this long after
  accountDeletionGraceMsMax: 90 * 24 * 60 * 60_000, // the longest grace period accounts.deletionGraceMs may set
  accountDeletionSweepMs: 60_000, // how often accounts whose deletion is due are looked for (and once at start)
  accountDeletionBatchMax: 20, // accounts purged per sweep (each in its own transaction); the rest wait for the next sweep
  // retention (src/retention/): per-chat auto-delete and disappearing messages
  chatAutoDeleteDaysMax: 3650, // the longest "delete messages older than N days" a chat may set (N from 1)
  messageDisappearSecondsMin: 5, // the shortest disappearing-messages timer
  messageDisappearSecondsMax: 365 * 24 * 60 * 60, // the longest disappearing-messages timer
  retentionSweepIntervalMs: 5_000, // the sweeper looks for due messages this often (and once at start); a message vanishes at most this late
  retentionSweepBatchMax: 200, // due messages purged per transaction
  retentionSweepBatchesPerRunMax: 25, // transactions per sweep; what is left waits for the next one
  retentionSweepRowsMax: 2_000, // messages auto-delete looks at per transaction, deleted ones included (a long history is worked through over several)

  // scheduled backups (src/backups/) and data exports (src/exports/)
  backupCatchUpDelayMs: 5 * 60_000, // at start, when the newest good backup is older than one period (or none exists), one runs after this
  backupRetryDelayMs: 60 * 60_000, // after a failed scheduled backup, the next try (or the next period, if sooner)
  backupsListedMax: 1000, // backups read from the backup directory (listing, retention); older ones beyond are not looked at
  backupErrorCharsMax: 500, // characters of a failed backup's error kept in its status
  backupKeepDailyDefault: 7, // default of backup.keepDaily: the newest backup of each of this many days
  backupKeepWeeklyDefault: 4, // default of backup.keepWeekly: the newest backup of each of this many ISO weeks
  exportsRunningMax: 2, // data exports streaming at once per server; one more is `unavailable`
  exportPartBytesMax: 4 * 1024 * 1024, // one JSON (and HTML) file of a chat's messages in an export; more go in the next part
  exportChatsMax: 10_000, // chats of one user read for an export (the chat list is paged)
  exportMessagesMax: 1_000_000, // messages one export holds; beyond it the archive ends with a note saying so
  // imports of other messengers' exports (src/imports/)
  importArchiveBytesMax: 2 * 1024 * 1024 * 1024, // the export ZIP itself (no ZIP64: a ZIP's offsets end at 4 GiB anyway)
  importZipEntriesMax: 20_000, // entries in the archive's directory; more is refused before anything is unpacked
  importFileBytesMax: 256 * 1024 * 1024, // one entry unpacked (its declared size, enforced while inflating): held in memory while read
  importUnpackedBytesMax: 4 * 1024 * 1024 * 1024, // all entries unpacked together, as declared: the zip-bomb bound
  importChatFileBytesMax: 64 * 1024 * 1024, // result.json or the WhatsApp .txt, parsed in memory
  importMessagesMax: 20_000, // messages one import writes, in ONE transaction holding the writer meanwhile (20,000 took 0.3 s on a 2-core test machine)
  importFilesMax: 2_000, // media files one import attaches (each also passes the image pipeline or a probe)
  importAuthorsMax: 500, // distinct sender names in one export; each becomes a placeholder or a mapped member
  importAuthorNameLengthMax: 64, // code points of an imported sender's name as stored (longer names are cut)
  importsRunningMax: 1, // imports at once per server (media processing is CPU-heavy); the next ones wait…
  importsWaitingMax: 8, // …this many at most; one more is `unavailable`

  // shutdown
  shutdownGraceMs: 10_000, // SIGTERM: after this the process exits 1 without waiting further
} as const;

export type Limits = typeof limits;
