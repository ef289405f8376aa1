// PostgreSQL is required here: an unreachable server fails the run (ci.sh checks it first).
import { runSuite } from './suite.mjs';
import { runShardSuite } from './shards.mjs';

runSuite('postgres');
runShardSuite('postgres');
