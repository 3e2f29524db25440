-- Allocates a message sequence number and page, and marks it in flight until its write
-- settles, so a replay cursor never moves past a message that is still being stored.
-- ARGV: prefix, nowMs, pageSize.
return cjson.encode(next_message_seq(ARGV[2], ARGV[3]))
