-- A socket of a login session connected while that session has a device in a live call: this
-- socket takes the device's place (signals now come here), whether the old socket is already
-- known to be gone or not yet (a phone that changed networks comes back before the server
-- notices its old connection died). The newest socket of a session is its device in the call.
-- ARGV: prefix, sessionId, socketId. Returns the call's id, or false.
local sessionId, socketId = ARGV[2], ARGV[3]
local callId = redis.call('GET', key('callsess', sessionId))
if not callId then
  return false
end
local c = call_state_of(callId)
if not c or c.state == 'ended' then
  return false
end
for _, side in ipairs({ 'caller', 'callee' }) do
  local old = c[side .. 'Socket']
  if c[side .. 'Session'] == sessionId and old and old ~= socketId then
    redis.call('ZREM', key('calls', 'gone'), old)
    redis.call('DEL', key('callsock', old))
    bind_device(callId, side, socketId, sessionId)
    return callId
  end
end
return false
