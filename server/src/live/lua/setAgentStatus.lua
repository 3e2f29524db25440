-- An agent chooses available or away. ARGV: prefix, agentId, status. Returns whether it changed.
local agentKey = key('agent', ARGV[2])
if (redis.call('HGET', agentKey, 'status') or 'available') == ARGV[3] then
  return 0
end
redis.call('HSET', agentKey, 'status', ARGV[3])
bump_version(agentKey)
bump_team()
return 1
