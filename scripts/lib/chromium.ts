/**
 * Launches Debian's Chromium headless through playwright-core. With `webgpu`, WebGPU runs on SwiftShader
 * (no GPU needed); without it Chromium offers no WebGPU adapter, which is the wasm-fallback case.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const QUIET = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-quic',
];
const WEBGPU = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-webgpu-adapter=swiftshader'];
const NO_WEBGPU = ['--disable-features=WebGPU,Vulkan'];

export async function launchChromium(options: { webgpu?: boolean; args?: string[] } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run .ci/run (apt-get install chromium) or set CHROMIUM_PATH.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...QUIET, ...(options.webgpu === false ? NO_WEBGPU : WEBGPU), ...(options.args ?? [])],
  });
}

/** A persistent profile, so browser storage (OPFS, caches) survives a browser restart within a test. */
export async function launchPersistent(options: { webgpu?: boolean; userDataDir?: string; args?: string[] } = {}): Promise<{ context: BrowserContext; userDataDir: string }> {
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'afw-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...QUIET, ...(options.webgpu === false ? NO_WEBGPU : WEBGPU), ...(options.args ?? [])],
  });
  return { context, userDataDir };
}

/** Collects the page's console errors and uncaught exceptions, for assertion messages. */
export function captureConsole(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') lines.push(`[${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`));
  return lines;
}
