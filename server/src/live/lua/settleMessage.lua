-- A message is stored: its in-flight mark goes, and it joins the replay index that agents'
-- syncs read (a sorted set of sequence numbers beside their message bodies), so a sync reads
-- a page by range instead of sorting the whole history in storage. While the index exists,
-- every settled message goes in; replay:from says below which it may miss messages. The index
-- is built by initReplay + warmReplay (at start-up, or after Redis lost it): when it is
-- missing this returns 0 and the caller builds it. It keeps the newest `cap` and raises
-- replay:from past what it drops.
-- ARGV: prefix, seq, body (the message as JSON), cap.
local fromKey = key('replay', 'from')
redis.call('ZREM', key('msg', 'pending'), ARGV[2])
if redis.call('EXISTS', fromKey) == 0 then
  return 0
end
redis.call('HSET', key('replay', 'body'), ARGV[2], ARGV[3])
redis.call('ZADD', key('replay', 'seqs'), ARGV[2], ARGV[2])
local over = redis.call('ZCARD', key('replay', 'seqs')) - tonumber(ARGV[4])
if over > 0 then
  local dropped = redis.call('ZPOPMIN', key('replay', 'seqs'), over)
  for i = 1, #dropped, 2 do
    redis.call('HDEL', key('replay', 'body'), dropped[i])
  end
  local highest = tonumber(dropped[#dropped - 1])
  if highest > tonumber(redis.call('GET', fromKey)) then
    redis.call('SET', fromKey, dropped[#dropped - 1])
  end
end
return 1
