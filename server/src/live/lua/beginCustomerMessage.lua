-- Everything a customer's message.send needs from Redis, in one round trip: is the session
-- still open, may this customer write now (queued or in conversation), and, if so, a message
-- sequence number and page, marked in flight (as allocateMessageSeq does).
-- ARGV: prefix, sessionId, customerId, nowMs, pageSize.
if redis.call('EXISTS', key('session', ARGV[2])) == 0 then
  return cjson.encode({ session = false })
end
local c = redis.call('HMGET', key('cust', ARGV[3]), 'state', 'requestId', 'conversationId')
local state = c[1] or 'notConnected'
local out = {
  session = true,
  state = state,
  requestId = c[2] or false,
  conversationId = c[3] or false,
  number = false,
}
if (state == 'requestSent' or state == 'inConversation') and c[3] then
  out.number = next_message_seq(ARGV[4], ARGV[5])
  if state == 'inConversation' then
    touch_conversation(c[3])
  end
end
return cjson.encode(out)
