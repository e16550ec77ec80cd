import { harnessFromPlugin, runConformance } from '@provisio/testkit';
import awsPlugin from '../src/index.js';

// The default configuration: CreateKeysAndCertificate credentials, the simulator's policy.
runConformance(harnessFromPlugin(awsPlugin));
