/**
 * One v86 PC (x86 emulator with a JIT to wasm) with a serial port and no network device, in the browser and
 * in Node alike. The guest is the Debian i386 system `npm run build:guest` makes; a task never boots it but
 * restores the machine state saved right after boot (`VmAssets.state`), so it is ready in well under a second.
 */
import { V86 } from 'v86';

export interface VmAssets {
  /** v86's wasm, compiled once per page or process. */
  wasm: WebAssembly.Module;
  bios: ArrayBuffer;
  vgaBios: ArrayBuffer;
  /** An uncompressed `save_state()` of the booted guest. */
  state: ArrayBuffer;
  memoryBytes: number;
}

/** What boots the guest from its kernel and initramfs (the build does this once). */
export interface VmBootImage {
  wasm: WebAssembly.Module;
  bios: ArrayBuffer;
  vgaBios: ArrayBuffer;
  kernel: ArrayBuffer;
  initrd: ArrayBuffer;
  cmdline: string;
  memoryBytes: number;
}

/** The same for every guest: the device set at boot must equal the one a saved state is restored into. */
function baseOptions(a: { wasm: WebAssembly.Module; bios: ArrayBuffer; vgaBios: ArrayBuffer; memoryBytes: number }) {
  return {
    wasm_fn: async (imports: WebAssembly.Imports) => (await WebAssembly.instantiate(a.wasm, imports)).exports,
    bios: { buffer: a.bios },
    vga_bios: { buffer: a.vgaBios },
    memory_size: a.memoryBytes,
    vga_memory_size: 2 * 1024 * 1024,
    // v86 adds an ne2k card unless told otherwise; any other type means no network device at all.
    net_device: { type: 'none' },
    disable_keyboard: true,
    disable_mouse: true,
    disable_speaker: true,
    autostart: true,
  };
}

type Emulator = {
  add_listener(event: string, fn: (value: never) => void): void;
  remove_listener(event: string, fn: (value: never) => void): void;
  serial0_send(text: string): void;
  bus: { send(event: string, value: number): void };
  save_state(): Promise<ArrayBuffer>;
  restore_state(state: ArrayBuffer): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
};

export class VmMachine {
  private byteListeners = new Set<(byte: number) => void>();

  private constructor(private readonly emulator: Emulator) {
    emulator.add_listener('serial0-output-byte', ((byte: number) => {
      for (const fn of this.byteListeners) fn(byte);
    }) as (value: never) => void);
  }

  private static create(options: Record<string, unknown>): Promise<VmMachine> {
    return new Promise((resolve, reject) => {
      let emulator: Emulator;
      try {
        emulator = new V86(options as never) as unknown as Emulator;
      } catch (e) {
        reject(e);
        return;
      }
      emulator.add_listener('emulator-loaded', (() => resolve(new VmMachine(emulator))) as (value: never) => void);
    });
  }

  /** A fresh machine from the saved, booted state. */
  static restore(assets: VmAssets): Promise<VmMachine> {
    return VmMachine.create({ ...baseOptions(assets), initial_state: { buffer: assets.state } });
  }

  /** Boots the guest from scratch (tens of seconds; only the guest build does this). */
  static boot(image: VmBootImage): Promise<VmMachine> {
    return VmMachine.create({
      ...baseOptions(image),
      bzimage: { buffer: image.kernel },
      initrd: { buffer: image.initrd },
      cmdline: image.cmdline,
    });
  }

  onSerialByte(fn: (byte: number) => void): () => void {
    this.byteListeners.add(fn);
    return () => this.byteListeners.delete(fn);
  }

  /** Types text on the serial console (bytes 0-255: the text must already be UTF-8 encoded as latin1). */
  sendBytes(binary: string): void {
    for (let i = 0; i < binary.length; i++) this.emulator.bus.send('serial0-input', binary.charCodeAt(i));
  }

  saveState(): Promise<ArrayBuffer> {
    return this.emulator.save_state();
  }

  /** Puts the machine back into a saved state (the serial listeners stay). */
  restoreState(state: ArrayBuffer): Promise<void> {
    return this.emulator.restore_state(state);
  }

  async destroy(): Promise<void> {
    this.byteListeners.clear();
    await this.emulator.destroy();
  }
}

/** UTF-8 text as the byte string the serial port takes. */
export function toSerialBytes(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join('');
}
