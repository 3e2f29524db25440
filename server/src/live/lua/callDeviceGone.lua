-- A socket closed (or its node died). If it was a device in a call, the call waits for it until
-- ARGV deadlineMs: the same login session may connect again and take the call back
-- (callDeviceBack). ARGV: prefix, deadlineMs, socketIds (JSON array).
local deadline, socketIds = ARGV[2], cjson.decode(ARGV[3])
local waiting = 0
for _, socketId in ipairs(socketIds) do
  if redis.call('EXISTS', key('callsock', socketId)) == 1 then
    redis.call('ZADD', key('calls', 'gone'), deadline, socketId)
    waiting = waiting + 1
  end
end
return waiting
