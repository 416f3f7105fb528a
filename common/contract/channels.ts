/**
 * Names of the bridge's carriers, kept apart from wire.ts so that the preload (which a sandbox
 * lets `require` nothing but electron) can import them without pulling in zod.
 */

/** The one Electron IPC channel the bridge uses, in both directions. */
export const IPC_BRIDGE_CHANNEL = 'bridge:message';

/** Path of the browser-mode WebSocket endpoint. */
export const WEBSOCKET_PATH = '/api';
