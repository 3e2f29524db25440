-- Copies an agent's capacity from its account into the live state (on connect, or when an admin
-- changed it). ARGV: prefix, agentId, capacity. Returns whether it changed.
local agentKey = key('agent', ARGV[2])
if redis.call('HGET', agentKey, 'capacity') == ARGV[3] then
  return 0
end
redis.call('HSET', agentKey, 'capacity', ARGV[3])
bump_version(agentKey)
bump_team()
return 1
