-- A customer's live state with its queue position, read atomically. ARGV: prefix, customerIds...
local out = {}
for i = 2, #ARGV do
  local customerId = ARGV[i]
  local cust = hgetall(key('cust', customerId))
  local position = false
  if cust.state == 'requestSent' and cust.requestId then
    local rank = redis.call('ZRANK', key('queue'), cust.requestId)
    if rank then
      position = rank + 1
    end
  end
  table.insert(out, {
    customerId = customerId,
    state = cust.state or 'notConnected',
    requestId = cust.requestId or false,
    conversationId = cust.conversationId or false,
    agentId = cust.agentId or false,
    agentName = cust.agentName or false,
    position = position,
    -- An ended conversation waits for its rating until the customer rates or skips it (and
    -- only while its live record is kept: a week).
    ratingPending = cust.state == 'conversationEnded' and cust.conversationId ~= nil
      and redis.call('HEXISTS', key('conv', cust.conversationId), 'status') == 1
      and redis.call('HEXISTS', key('conv', cust.conversationId), 'rating') == 0,
    -- Kept a string: cjson would round a number this large.
    version = cust.version or '0',
  })
end
return cjson.encode(out)
