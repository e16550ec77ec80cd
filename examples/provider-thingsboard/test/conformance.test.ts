// The example plugin runs the same conformance suite as the built-in providers,
// loaded by its package name exactly as an application would load it.
import { harnessFromPlugin, runConformance } from '@provisio/testkit';

runConformance(harnessFromPlugin('provisio-provider-thingsboard'));
