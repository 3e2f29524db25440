-- Shared by every script: prepended when the scripts are loaded (see liveState.ts).
-- ARGV[1] is always the key prefix. Keys are built here because a take finds its request
-- only inside the script; the project runs on a single Redis (or a primary with replicas),
-- not Redis Cluster.
local p = ARGV[1]

local function key(...)
  return p .. table.concat({ ... }, ':')
end

local function hgetall(k)
  local flat = redis.call('HGETALL', k)
  local t = {}
  for i = 1, #flat, 2 do
    t[flat[i]] = flat[i + 1]
  end
  return t
end

local function ok(t)
  t.ok = true
  return cjson.encode(t)
end

local function fail(code, t)
  t = t or {}
  t.ok = false
  t.code = code
  return cjson.encode(t)
end

-- Numbers that only ever grow, even if Redis lost its data: a missing one starts from the
-- clock (microseconds), above anything handed out before.
-- Built as a string: Lua would print a number this large in exponent form.
local function clock_micros()
  local now = redis.call('TIME')
  return now[1] .. string.format('%06d', tonumber(now[2]))
end

-- Redis's clock in milliseconds: idle times are measured on one clock, whichever node asks.
local function now_ms()
  local t = redis.call('TIME')
  return t[1] * 1000 + math.floor(t[2] / 1000)
end

-- A customer's or agent's state version: clients ignore a state older than the one they show.
local function bump_version(k)
  if redis.call('HEXISTS', k, 'version') == 0 then
    redis.call('HSET', k, 'version', clock_micros())
  end
  return redis.call('HINCRBY', k, 'version', 1)
end

-- A snapshot's version (`<name>:version`) only ever grows, like the state versions.
local function bump_snapshot_version(name)
  local versionKey = key(name, 'version')
  if redis.call('EXISTS', versionKey) == 0 then
    redis.call('SET', versionKey, clock_micros())
  end
  return redis.call('INCR', versionKey)
end

local function bump_queue()
  return bump_snapshot_version('queue')
end

-- The team's version: grows with every change of an agent's status or load, so agents keep the
-- newest team snapshot (see teamState.lua).
local function bump_team()
  return bump_snapshot_version('team')
end

-- An agent's capacity: how many conversations it may hold at once (admins set it; default 1).
local function agent_capacity(agentId)
  return tonumber(redis.call('HGET', key('agent', agentId), 'capacity') or '1') or 1
end

-- Why an agent may not take another conversation now, or nil when it may: away
-- ('agent_away'), or holding as many as its capacity allows ('agent_busy', naming the newest).
local function agent_refusal(agentId)
  local agentKey = key('agent', agentId)
  if redis.call('HGET', agentKey, 'status') == 'away' then
    return fail('agent_away')
  end
  local held = key('agentconvs', agentId)
  if redis.call('ZCARD', held) >= agent_capacity(agentId) then
    local newest = redis.call('ZRANGE', held, -1, -1)
    return fail('agent_busy', { conversationId = newest[1] })
  end
  return nil
end

-- After an agent stopped holding `convId` (ended, or handed over): its state names the newest
-- conversation it still holds; with none left it is `idle` ('conversationEnded' after an end,
-- 'monitoring' after a transfer). Always a new version: its list of conversations changed.
local function agent_released(agentId, convId, idle)
  local agentKey = key('agent', agentId)
  local held = key('agentconvs', agentId)
  redis.call('ZREM', held, convId)
  local newest = redis.call('ZRANGE', held, -1, -1)[1]
  if newest then
    redis.call('HSET', agentKey, 'state', 'inConversation', 'conversationId', newest,
      'customerId', redis.call('HGET', key('conv', newest), 'customerId'))
  elseif redis.call('HGET', agentKey, 'conversationId') == convId then
    redis.call('HSET', agentKey, 'state', idle)
    if idle == 'monitoring' then
      redis.call('HDEL', agentKey, 'conversationId', 'customerId')
    end
  end
  bump_version(agentKey)
  bump_team()
end

local function start_conversation(customerId, agentId, agentName, convId, requestId, now)
  redis.call('HSET', key('cust', customerId), 'state', 'inConversation', 'conversationId', convId,
    'agentId', agentId, 'agentName', agentName)
  if requestId then
    redis.call('HSET', key('cust', customerId), 'requestId', requestId)
  else
    redis.call('HDEL', key('cust', customerId), 'requestId')
  end
  redis.call('HSET', key('agent', agentId), 'state', 'inConversation', 'conversationId', convId,
    'customerId', customerId)
  redis.call('ZADD', key('agentconvs', agentId), clock_micros(), convId)
  bump_version(key('cust', customerId))
  bump_version(key('agent', agentId))
  bump_team()
  -- Idle since now (see sweepIdle.lua); a warning of an earlier spell no longer counts.
  redis.call('ZADD', key('convs', 'idle'), now_ms(), convId)
  redis.call('HDEL', key('conv', convId), 'idleWarnedAt', 'idleClosesAt')
  local convKey = key('conv', convId)
  -- A conversation put back in the queue by a transfer keeps when it began.
  redis.call('HSETNX', convKey, 'startedAt', now)
  redis.call('HSET', convKey, 'customerId', customerId, 'agentId', agentId, 'agentName', agentName,
    'requestId', requestId or '', 'status', 'active', 'assignedAt', now)
end

-- Moves a queued request to a new conversation with the agent. Caller checked it is queued.
local function assign_request(requestId, agentId, agentName, now)
  local reqKey = key('req', requestId)
  local customerId = redis.call('HGET', reqKey, 'customerId')
  local convId = redis.call('HGET', reqKey, 'conversationId')
  redis.call('ZREM', key('queue'), requestId)
  redis.call('HSET', reqKey, 'status', 'assigned', 'agentId', agentId)
  redis.call('EXPIRE', reqKey, 86400)
  redis.call('ZREM', key('offline'), customerId)
  local wroteWhileQueued = redis.call('HEXISTS', reqKey, 'preview') == 1
  local asked = redis.call('HMGET', reqKey, 'requestedAt', 'tier')
  -- A conversation a transfer put back in the queue goes on, with its history and start time.
  local requeued = redis.call('HGET', key('conv', convId), 'status') == 'queued'
  start_conversation(customerId, agentId, agentName, convId, requestId, now)
  bump_queue()
  return { requestId = requestId, customerId = customerId, conversationId = convId,
    startedAt = redis.call('HGET', key('conv', convId), 'startedAt'), assignedAt = now,
    wroteWhileQueued = wroteWhileQueued or requeued, requeued = requeued,
    requestedAt = asked[1] or false, tier = asked[2] or false }
end

-- Voice calls: call:<id> holds one call (see calls.ts); conv:<id> callId names the one call
-- that is ringing or established in the conversation; calls:ringing holds ring deadlines (ms);
-- callsock:<socketId> and callsess:<sessionId> name the call a device (a socket, of a login
-- session) is in; calls:gone holds the sockets of devices in a call that disconnected, by the
-- time (ms) the call ends unless the device comes back.
local function call_state_of(callId)
  local c = hgetall(key('call', callId))
  if not c.state then
    return nil
  end
  return c
end

-- The call `callId` when `userId` (of `role`) is a party of it; nil when there is no such call
-- or it is someone else's (both answer `not_found`: a stranger learns nothing).
local function call_of_party(callId, role, userId)
  local c = call_state_of(callId)
  if not c then
    return nil
  end
  local partyId = role == 'agent' and c.agentId or c.customerId
  if partyId ~= userId then
    return nil
  end
  return c
end

-- Makes a socket of a session the `side` ('caller' or 'callee') device of a call.
local function bind_device(callId, side, socketId, sessionId)
  redis.call('HSET', key('call', callId), side .. 'Socket', socketId, side .. 'Session', sessionId)
  redis.call('SET', key('callsock', socketId), callId, 'EX', 86400)
  redis.call('SET', key('callsess', sessionId), callId, 'EX', 86400)
end

-- Ends a ringing or established call. Returns the call, or nil when it had already ended.
local function end_call(callId, reason, now)
  local callKey = key('call', callId)
  local c = call_state_of(callId)
  if not c or c.state == 'ended' then
    return nil
  end
  redis.call('HSET', callKey, 'state', 'ended', 'endedAt', now, 'reason', reason)
  redis.call('HINCRBY', callKey, 'version', 1)
  redis.call('EXPIRE', callKey, 86400)
  redis.call('ZREM', key('calls', 'ringing'), callId)
  local convKey = key('conv', c.conversationId)
  if redis.call('HGET', convKey, 'callId') == callId then
    redis.call('HDEL', convKey, 'callId')
  end
  for _, side in ipairs({ 'caller', 'callee' }) do
    local socketId, sessionId = c[side .. 'Socket'], c[side .. 'Session']
    if socketId and redis.call('GET', key('callsock', socketId)) == callId then
      redis.call('DEL', key('callsock', socketId))
      redis.call('ZREM', key('calls', 'gone'), socketId)
    end
    if sessionId and redis.call('GET', key('callsess', sessionId)) == callId then
      redis.call('DEL', key('callsess', sessionId))
    end
  end
  return call_state_of(callId)
end

-- Ends an active conversation for both sides. Returns the conversation and whether it changed;
-- a call in it ends too (conv.endedCall names it).
local function end_conversation(convId, endedBy, now)
  local convKey = key('conv', convId)
  local conv = hgetall(convKey)
  if conv.status ~= 'active' then
    return conv, false
  end
  redis.call('HSET', convKey, 'status', 'ended', 'endedAt', now, 'endedBy', endedBy)
  redis.call('EXPIRE', convKey, 604800)
  redis.call('ZREM', key('convs', 'idle'), convId)
  if conv.callId and end_call(conv.callId, 'conversation_ended', now) then
    conv.endedCall = conv.callId
  end
  local custKey = key('cust', conv.customerId)
  if redis.call('HGET', custKey, 'conversationId') == convId then
    redis.call('HSET', custKey, 'state', 'conversationEnded')
    bump_version(custKey)
  end
  agent_released(conv.agentId, convId, 'conversationEnded')
  return conv, true
end

-- Takes a customer's queued request out of the queue; the customer is back to notConnected.
local function withdraw(customerId, reason)
  local custKey = key('cust', customerId)
  local requestId = redis.call('HGET', custKey, 'requestId')
  redis.call('ZREM', key('queue'), requestId)
  redis.call('HSET', key('req', requestId), 'status', 'withdrawn', 'withdrawnBecause', reason)
  redis.call('EXPIRE', key('req', requestId), 86400)
  redis.call('ZREM', key('offline'), customerId)
  -- A conversation a transfer put back in the queue ends with its request.
  local convId = redis.call('HGET', custKey, 'conversationId')
  local convKey = key('conv', convId or '')
  local endedConversation = false
  if convId and redis.call('HGET', convKey, 'status') == 'queued' then
    -- No end time here (the callers have none to give): the record takes the time it is written.
    redis.call('HSET', convKey, 'status', 'ended',
      'endedBy', reason == 'customer' and 'customer' or 'agent')
    redis.call('EXPIRE', convKey, 604800)
    endedConversation = convId
  end
  redis.call('HSET', custKey, 'state', 'notConnected')
  redis.call('HDEL', custKey, 'requestId', 'agentId', 'agentName')
  -- Expired while offline: the customer, back, still sees what it wrote and why it closed
  -- (a notice in that conversation); its next request starts another.
  if reason ~= 'offline' then
    redis.call('HDEL', custKey, 'conversationId')
  end
  bump_version(custKey)
  bump_queue()
  return requestId, endedConversation
end

-- Someone wrote in an active conversation: its idle time starts again (XX: only a
-- conversation the sweep watches, i.e. an active one).
local function touch_conversation(convId)
  redis.call('ZADD', key('convs', 'idle'), 'XX', now_ms(), convId)
end

local function is_queued(customerId)
  return redis.call('HGET', key('cust', customerId), 'state') == 'requestSent'
end

-- Message sequence numbers (the replay cursor) never fall below the clock in microseconds.
-- So a counter that Redis lost or rolled back (a flush, a failover, a restore, the last
-- second of an `everysec` AOF) still only moves past every number handed out before, and
-- past every cursor a client holds.
-- Every message also gets a page (messages are stored with it, see MessagePages): pages hold
-- `pageSize` consecutive messages each, so storage reads history a page at a time by
-- equality instead of sorting it all. A page is used only once storage has it on record
-- (msg:pages `open`), so a Redis that lost this hash starts again above every stored page.
-- Returns { seq, page, preopen } (preopen: the next page, to put on record now), or
-- { need = 'open' | 'reseed', page } when no number was handed out.
local function next_message_seq(nowMs, pageSize)
  local pagesKey = key('msg', 'pages')
  local open = redis.call('HGET', pagesKey, 'open')
  if not open then
    return { need = 'reseed', page = -1 }
  end
  open = tonumber(open)
  local n = redis.call('HINCRBY', pagesKey, 'count', 1) - 1
  local size = tonumber(pageSize)
  local page = math.floor(n / size)
  if page > open then
    redis.call('HINCRBY', pagesKey, 'count', -1)
    return { need = 'open', page = page }
  end
  local k = key('msg', 'seq')
  local seq = redis.call('INCR', k)
  local now = clock_micros()
  if seq < tonumber(now) then
    redis.call('SET', k, now)
    seq = tonumber(now)
  end
  redis.call('ZADD', key('msg', 'pending'), nowMs, string.format('%d', seq))
  local preopen = false
  if page == open and n % size == math.floor(size / 2) then
    preopen = page + 1
  end
  -- A string: cjson would print a large number in exponent form.
  return { seq = string.format('%d', seq), page = page, preopen = preopen }
end

-- The highest sequence below which every message has settled (stored or failed). In-flight
-- marks older than staleBeforeMs are from writers that died: they are passed over here, and
-- settled by MessagingService.settleAbandoned (indexed if storage has the message).
local function replay_watermark(staleBeforeMs)
  local counter = redis.call('GET', key('msg', 'seq'))
  if not counter then
    -- Redis lost the counter: any message still being written got a number from the clock
    -- before now, and its in-flight mark is gone. Nothing past the stale horizon is trusted.
    return tonumber(staleBeforeMs) * 1000
  end
  local watermark = tonumber(counter)
  local oldest = redis.call('ZRANGEBYSCORE', key('msg', 'pending'), '(' .. staleBeforeMs, '+inf',
    'LIMIT', 0, 1)
  if #oldest > 0 then
    watermark = math.min(watermark, tonumber(oldest[1]) - 1)
  end
  return watermark
end
