-- A login's password was right: its attempt is not a failure after all. The (account,
-- address) key starts over; the other keys that counted it ahead give that failure back; the
-- address is remembered as one this account uses.
-- ARGV: prefix, knownKey, knownSeconds, pairKey, then the keys to give a failure back to.
redis.call('SET', key('login', 'known', ARGV[2]), '1', 'EX', ARGV[3])
redis.call('DEL', key('login', 'throttle', ARGV[4]))
for i = 5, #ARGV do
  local k = key('login', 'throttle', ARGV[i])
  if tonumber(redis.call('HGET', k, 'failures') or '0') > 0 then
    redis.call('HINCRBY', k, 'failures', -1)
  end
end
return 1
