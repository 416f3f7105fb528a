import * as z from 'zod';

/**
 * zod's settings for the window, imported before anything else in main.tsx. `jitless`: zod
 * would otherwise probe whether it may compile its object parsers with `new Function`; the
 * app's Content-Security-Policy (`script-src 'self'`) refuses that, and Chromium reports the
 * refusal as a violation on every load even though zod catches it and parses without. With
 * jitless it never asks, so any violation the window reports is a real one. It must run
 * before the first `z.object` is made: zod decides per object schema when it is built.
 * See https://zod.dev/api (z.config) and zod's util.allowsEval.
 */
z.config({ jitless: true });
