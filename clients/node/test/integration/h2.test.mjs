import { runSuite } from './suite.mjs';

runSuite('h2');
