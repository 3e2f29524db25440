-- Allocates a message sequence number and marks it in flight until its write settles, so a
-- replay cursor never moves past a message that is still being stored. ARGV: prefix, nowMs.
return next_message_seq(ARGV[2])
