-- Counts a login attempt before its password is checked, so simultaneous guesses cannot all
-- slip under the limit. Each throttle key allows `free` failures within the window; after that
-- each further check waits twice as long as the one before (1 s, 2 s, 4 s, ... up to the
-- window): guessing slows down, and the right password is delayed, never locked out for long.
-- A login that has succeeded from this address before skips the keys that are not its own
-- (`gatesKnown` 0), so neither guesses at it from elsewhere nor a busy shared address (an
-- office NAT) hold it up. A key with `countsAhead` 0 is not counted here but after a failed
-- check (recordLoginFailure): an address's simultaneous logins are mostly good ones, and how
-- many it may have at once is bounded on each node instead.
-- ARGV: prefix, nowMs, windowSeconds, maxWaitMs, knownKey, then quadruples of
-- (key, free, gatesKnown, countsAhead) for each throttle key.
-- Returns { ok = true, waitMs, known } (counted: check the password after waitMs) or
-- { ok = false, retryAfterMs } (not counted).
local now = tonumber(ARGV[2])
local windowMs = tonumber(ARGV[3]) * 1000
local maxWait = tonumber(ARGV[4])
local known = redis.call('EXISTS', key('login', 'known', ARGV[5])) == 1

local throttles = {}
for i = 6, #ARGV, 4 do
  local k = key('login', 'throttle', ARGV[i])
  local state = redis.call('HMGET', k, 'failures', 'lastAt')
  table.insert(throttles, {
    key = k,
    free = tonumber(ARGV[i + 1]),
    gates = ARGV[i + 2] == '1' or not known,
    countsAhead = ARGV[i + 3] == '1',
    failures = tonumber(state[1] or '0'),
    lastAt = tonumber(state[2] or '0'),
  })
end

local slot = now
for _, t in ipairs(throttles) do
  if t.gates and t.failures >= t.free then
    local delay = math.min(1000 * 2 ^ (t.failures - t.free), windowMs)
    slot = math.max(slot, t.lastAt + delay)
  end
end
if slot - now > maxWait then
  return cjson.encode({ ok = false, retryAfterMs = slot - now })
end
for _, t in ipairs(throttles) do
  if t.countsAhead and t.gates then
    redis.call('HINCRBY', t.key, 'failures', 1)
    redis.call('HSET', t.key, 'lastAt', string.format('%d', math.max(slot, t.lastAt)))
    redis.call('PEXPIRE', t.key, windowMs)
  end
end
return cjson.encode({ ok = true, waitMs = slot - now, known = known })
