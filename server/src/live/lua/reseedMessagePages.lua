-- Starts message pages again at `page` (one above every page storage has on record) when Redis
-- has none; a page count that exists (another node reseeded first) is left alone.
-- ARGV: prefix, page, pageSize.
local pagesKey = key('msg', 'pages')
if redis.call('HEXISTS', pagesKey, 'open') == 1 then
  return 0
end
redis.call('HSET', pagesKey, 'open', ARGV[2], 'count', string.format('%d', tonumber(ARGV[2]) * tonumber(ARGV[3])))
return 1
