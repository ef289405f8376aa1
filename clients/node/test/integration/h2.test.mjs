import { runSuite } from './suite.mjs';
import { runShardSuite } from './shards.mjs';

runSuite('h2');
runShardSuite('h2');
