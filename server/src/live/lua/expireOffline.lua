-- R7: withdraws the requests of customers with no connected session since before the cutoff.
-- ARGV: prefix, cutoffMs. Returns the customers whose requests were withdrawn, each with the
-- conversation its request was for: [customerId, conversationId, ...].
local expired = redis.call('ZRANGEBYSCORE', key('offline'), '-inf', ARGV[2])
local withdrawn = {}
for _, customerId in ipairs(expired) do
  redis.call('ZREM', key('offline'), customerId)
  if is_queued(customerId) and redis.call('SCARD', key('conns', 'customer', customerId)) == 0 then
    local convId = redis.call('HGET', key('cust', customerId), 'conversationId')
    withdraw(customerId, 'offline')
    table.insert(withdrawn, customerId)
    table.insert(withdrawn, convId or '')
  end
end
return withdrawn
