-- Adds messages read from storage after initReplay (the newest ones) to the replay index and
-- lowers replay:from to just below the oldest of them: storage had no other message between
-- those and what the index already held. `all`: storage holds nothing older, so from is 0.
-- ARGV: prefix, all (1/0), then pairs of (seq, body), oldest first.
local fromKey = key('replay', 'from')
local from = tonumber(redis.call('GET', fromKey) or '-1')
if from < 0 then
  -- The index went away while storage was read (Redis lost its data): start over later.
  return -1
end
for i = 3, #ARGV, 2 do
  redis.call('HSET', key('replay', 'body'), ARGV[i], ARGV[i + 1])
  redis.call('ZADD', key('replay', 'seqs'), ARGV[i], ARGV[i])
end
local lowered = from
if ARGV[2] == '1' then
  lowered = 0
elseif #ARGV >= 3 then
  lowered = math.min(from, tonumber(ARGV[3]) - 1)
end
if lowered < from then
  redis.call('SET', fromKey, string.format('%d', lowered))
end
return lowered
