/**
 * Version we announce in `bt_header_dendrite_version` / axon `version`: the SDK encoding
 * major·10⁶ + minor·10³ + patch of the SDK release whose wire format we follow (10.2.0).
 * Anything ≥ 7002000 (SDK 7.2) gets the modern nonce checks on Python axons.
 */
export const PROTOCOL_VERSION = 10_002_000;
