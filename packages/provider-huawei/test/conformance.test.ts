import { harnessFromPlugin, runConformance } from '@provisio/testkit';
import huaweiPlugin from '../src/index.js';

runConformance(harnessFromPlugin(huaweiPlugin));
