-- The called party accepts or declines a ringing call. ARGV: prefix, role, userId, callId,
-- answer ('accept' | 'decline'), now, socketId, sessionId.
-- Every device of the callee rings; the first accept wins and any later answer is refused.
local role, userId, callId, answer, now, socketId, sessionId =
  ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local c = call_of_party(callId, role, userId)
if not c then
  return fail('not_found')
end
if c.callerRole == role then
  return fail('forbidden', { call = c })
end
if c.state ~= 'ringing' then
  return fail('already_claimed', { call = c })
end
if answer == 'decline' then
  return ok({ call = end_call(callId, 'declined', now) })
end
local callKey = key('call', callId)
redis.call('HSET', callKey, 'state', 'established', 'answeredAt', now)
redis.call('HINCRBY', callKey, 'version', 1)
redis.call('ZREM', key('calls', 'ringing'), callId)
bind_device(callId, 'callee', socketId, sessionId)
return ok({ call = call_state_of(callId) })
