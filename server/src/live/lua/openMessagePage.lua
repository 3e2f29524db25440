-- Lets messages be numbered in `page`, now that storage has it on record. Only raises a page
-- count that exists: if Redis lost it, numbering starts again above the stored pages
-- (reseedMessagePages.lua) and a late opening must not bring back a page below them.
-- Returns 1 if the count exists (raised or already there), 0 if it must be reseeded.
-- ARGV: prefix, page.
local pagesKey = key('msg', 'pages')
local open = redis.call('HGET', pagesKey, 'open')
if not open then
  return 0
end
if tonumber(ARGV[2]) > tonumber(open) then
  redis.call('HSET', pagesKey, 'open', ARGV[2])
end
return 1
