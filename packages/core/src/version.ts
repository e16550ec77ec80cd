/**
 * The version of the provider contract this core implements. A plugin declares the range of
 * contract versions it supports (`coreApi`), checked with semver when it is loaded.
 */
export const CORE_API_VERSION = '1.0.0';
