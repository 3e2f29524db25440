-- A login's password was wrong: counts it on the keys that did not count it ahead (see
-- reserveLoginAttempt). ARGV: prefix, nowMs, windowSeconds, then the keys.
local windowMs = tonumber(ARGV[3]) * 1000
for i = 4, #ARGV do
  local k = key('login', 'throttle', ARGV[i])
  redis.call('HINCRBY', k, 'failures', 1)
  redis.call('HSET', k, 'lastAt', ARGV[2])
  redis.call('PEXPIRE', k, windowMs)
end
return 1
