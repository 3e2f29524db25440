-- Allocates a message sequence number and marks it in flight until its write settles, so a
-- replay cursor never moves past a message that is still being stored. ARGV: prefix, nowMs.
local seq = redis.call('INCR', key('msg', 'seq'))
redis.call('ZADD', key('msg', 'pending'), ARGV[2], seq)
return seq
