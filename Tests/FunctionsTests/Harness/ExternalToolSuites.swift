import Testing

/// Suites that start many real programs (git, yt-dlp, ffmpeg, sshd, ssh/scp).
/// They run one test at a time: run together they would put a burst of
/// process start-ups on the 2-core CI machine that the rest of the project's
/// suites, running concurrently with timing bounds of their own, would feel.
@Suite(.serialized) enum ExternalTools {}
