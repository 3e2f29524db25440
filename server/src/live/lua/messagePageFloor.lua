-- A number at or below every message sequence handed out from now on: taken before a page is
-- put on record, it is that page's lowest possible sequence (see MessagePages).
-- ARGV: prefix.
local counter = tonumber(redis.call('GET', key('msg', 'seq')) or '0')
return string.format('%d', math.max(counter, tonumber(clock_micros())))
