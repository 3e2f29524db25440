-- R2: shows a queued customer's latest message in the queue. ARGV: prefix, requestId, preview.
if redis.call('HGET', key('req', ARGV[2]), 'status') ~= 'queued' then
  return 0
end
redis.call('HSET', key('req', ARGV[2]), 'preview', ARGV[3])
bump_queue()
return 1
