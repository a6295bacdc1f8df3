/**
 * A small WebAssembly assembler: enough of the binary format to emit SIMD kernels from
 * TypeScript at run time, with no toolchain and no binary files in the repository.
 *
 * A module imports one memory (`env.memory`, the wasm backend's heap, shared or not) and
 * exports functions whose parameters are byte offsets into it and sizes. Each function is
 * written with `Fn`, whose methods append instructions; loops and blocks are structured
 * (`loop`, `block`, `end`), and the `forRange` helper writes the usual counted loop.
 */

export type ValueType = "i32" | "f32" | "f64" | "v128";

const TYPE_CODE: Record<ValueType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b };

function unsignedLeb(value: number, out: number[]): void {
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

function signedLeb(value: number, out: number[]): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

function name(text: string, out: number[]): void {
  const bytes = new TextEncoder().encode(text);
  unsignedLeb(bytes.length, out);
  out.push(...bytes);
}

/** Natural alignment exponents for memory instructions. */
const ALIGN = { i32: 2, f32: 2, v128: 4 } as const;

/** One function body under construction. Locals are numbered after the parameters. */
export class Fn {
  readonly code: number[] = [];
  private readonly localTypes: ValueType[] = [];

  constructor(
    readonly exportName: string,
    readonly params: ValueType[],
    readonly results: ValueType[] = [],
  ) {}

  /** Declares a local and returns its index. */
  local(type: ValueType): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  /** The i-th parameter's index (parameters come first). */
  param(i: number): number {
    return i;
  }

  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  private simd(opcode: number): this {
    this.code.push(0xfd);
    unsignedLeb(opcode, this.code);
    return this;
  }

  private memarg(align: number, offset: number): this {
    unsignedLeb(align, this.code);
    unsignedLeb(offset, this.code);
    return this;
  }

  // Control flow. Blocks and loops produce no values.
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  else(): this {
    return this.op(0x05);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    this.op(0x0c);
    unsignedLeb(depth, this.code);
    return this;
  }
  brIf(depth: number): this {
    this.op(0x0d);
    unsignedLeb(depth, this.code);
    return this;
  }
  return(): this {
    return this.op(0x0f);
  }
  /** Calls function `index` of the module (its position in the list given to encodeModule). */
  call(index: number): this {
    this.op(0x10);
    unsignedLeb(index, this.code);
    return this;
  }
  select(): this {
    return this.op(0x1b);
  }
  drop(): this {
    return this.op(0x1a);
  }

  // Locals.
  get(index: number): this {
    this.op(0x20);
    unsignedLeb(index, this.code);
    return this;
  }
  set(index: number): this {
    this.op(0x21);
    unsignedLeb(index, this.code);
    return this;
  }
  tee(index: number): this {
    this.op(0x22);
    unsignedLeb(index, this.code);
    return this;
  }

  // i32.
  i32(value: number): this {
    this.op(0x41);
    signedLeb(value, this.code);
    return this;
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32Eq(): this {
    return this.op(0x46);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  i32LtS(): this {
    return this.op(0x48);
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32GtS(): this {
    return this.op(0x4a);
  }
  i32LeS(): this {
    return this.op(0x4c);
  }
  i32GeS(): this {
    return this.op(0x4e);
  }
  i32GeU(): this {
    return this.op(0x4f);
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32DivU(): this {
    return this.op(0x6e);
  }
  i32RemU(): this {
    return this.op(0x70);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32Or(): this {
    return this.op(0x72);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  i32ShrU(): this {
    return this.op(0x76);
  }
  i32Load(offset = 0): this {
    return this.op(0x28).memarg(ALIGN.i32, offset);
  }
  i32Store(offset = 0): this {
    return this.op(0x36).memarg(ALIGN.i32, offset);
  }

  // f32 and f64.
  f32(value: number): this {
    this.op(0x43);
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    this.code.push(...bytes);
    return this;
  }
  f32Load(offset = 0): this {
    return this.op(0x2a).memarg(ALIGN.f32, offset);
  }
  f32Store(offset = 0): this {
    return this.op(0x38).memarg(ALIGN.f32, offset);
  }
  f32Eq(): this {
    return this.op(0x5b);
  }
  f32Lt(): this {
    return this.op(0x5d);
  }
  f32Gt(): this {
    return this.op(0x5e);
  }
  f32Abs(): this {
    return this.op(0x8b);
  }
  f32Neg(): this {
    return this.op(0x8c);
  }
  f32Sqrt(): this {
    return this.op(0x91);
  }
  f32Add(): this {
    return this.op(0x92);
  }
  f32Sub(): this {
    return this.op(0x93);
  }
  f32Mul(): this {
    return this.op(0x94);
  }
  f32Div(): this {
    return this.op(0x95);
  }
  f32Min(): this {
    return this.op(0x96);
  }
  f32Max(): this {
    return this.op(0x97);
  }
  f64Add(): this {
    return this.op(0xa0);
  }
  f64PromoteF32(): this {
    return this.op(0xbb);
  }
  f32DemoteF64(): this {
    return this.op(0xb6);
  }
  f64Load(offset = 0): this {
    return this.op(0x2b).memarg(3, offset);
  }
  f64Store(offset = 0): this {
    return this.op(0x39).memarg(3, offset);
  }

  // v128 (f32x4 lanes).
  v128Load(offset = 0): this {
    return this.simd(0x00).memarg(ALIGN.v128, offset);
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b).memarg(ALIGN.v128, offset);
  }
  /** Loads one f32 and copies it to the four lanes. */
  v128Load32Splat(offset = 0): this {
    return this.simd(0x09).memarg(ALIGN.f32, offset);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32x4ExtractLane(lane: number): this {
    this.simd(0x1f);
    this.code.push(lane);
    return this;
  }
  f32x4Eq(): this {
    return this.simd(0x41);
  }
  f32x4Lt(): this {
    return this.simd(0x43);
  }
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  v128Not(): this {
    return this.simd(0x4d);
  }
  v128And(): this {
    return this.simd(0x4e);
  }
  v128AndNot(): this {
    return this.simd(0x4f);
  }
  v128Or(): this {
    return this.simd(0x50);
  }
  /** (a & mask) | (b & ~mask) with operands a, b, mask. */
  v128Bitselect(): this {
    return this.simd(0x52);
  }
  f32x4Abs(): this {
    return this.simd(0xe0);
  }
  f32x4Neg(): this {
    return this.simd(0xe1);
  }
  f32x4Sqrt(): this {
    return this.simd(0xe3);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  f32x4Div(): this {
    return this.simd(0xe7);
  }
  f32x4Min(): this {
    return this.simd(0xe8);
  }
  f32x4Max(): this {
    return this.simd(0xe9);
  }
  /** Relaxed SIMD: a·b + c with operands (a, b, c), fused where the hardware has FMA. */
  f32x4RelaxedMadd(): this {
    return this.simd(0x105);
  }

  /** memory.copy: (destination, source, bytes) on the stack. */
  memoryCopy(): this {
    return this.op(0xfc, 0x0a, 0x00, 0x00);
  }
  /** memory.fill: (destination, byte value, bytes) on the stack. */
  memoryFill(): this {
    return this.op(0xfc, 0x0b, 0x00);
  }

  /** Zero vector. */
  v128Zero(): this {
    this.simd(0x0c);
    for (let i = 0; i < 16; i++) this.code.push(0);
    return this;
  }

  /**
   * `for (i = start; i < end; i += step) body()` with i32 locals; `start`, `end` and `step`
   * push one i32 each. An empty range runs the body zero times.
   */
  forRange(i: number, start: () => void, end: () => void, step: number | (() => void), body: () => void): this {
    start();
    this.set(i);
    this.block();
    this.get(i);
    end();
    this.i32GeS().brIf(0);
    this.loop();
    body();
    this.get(i);
    if (typeof step === "number") this.i32(step);
    else step();
    this.i32Add().tee(i);
    end();
    this.i32LtS().brIf(0);
    this.end();
    this.end();
    return this;
  }

  /** The body with its locals declaration, as the code section wants it. */
  encodeBody(): number[] {
    const body: number[] = [];
    const groups: Array<[number, ValueType]> = [];
    for (const type of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    unsignedLeb(groups.length, body);
    for (const [count, type] of groups) {
      unsignedLeb(count, body);
      body.push(TYPE_CODE[type]);
    }
    body.push(...this.code, 0x0b);
    const out: number[] = [];
    unsignedLeb(body.length, out);
    out.push(...body);
    return out;
  }
}

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  unsignedLeb(content.length, out);
  out.push(...content);
}

export interface MemoryImport {
  shared: boolean;
  /** Maximum pages, required for shared memories (must be ≥ the memory's own maximum). */
  maximumPages?: number;
}

/** Encodes a module that imports `env.memory` and exports every function by its name. */
export function encodeModule(functions: Fn[], memory: MemoryImport): Uint8Array {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // Types: one per function (duplicates are allowed and keep the encoder simple).
  const types: number[] = [];
  unsignedLeb(functions.length, types);
  for (const fn of functions) {
    types.push(0x60);
    unsignedLeb(fn.params.length, types);
    for (const p of fn.params) types.push(TYPE_CODE[p]);
    unsignedLeb(fn.results.length, types);
    for (const r of fn.results) types.push(TYPE_CODE[r]);
  }
  section(1, types, out);
  const imports: number[] = [];
  unsignedLeb(1, imports);
  name("env", imports);
  name("memory", imports);
  imports.push(0x02);
  if (memory.shared) {
    imports.push(0x03);
    unsignedLeb(0, imports);
    unsignedLeb(memory.maximumPages ?? 65536, imports);
  } else {
    imports.push(0x00);
    unsignedLeb(0, imports);
  }
  section(2, imports, out);
  const declarations: number[] = [];
  unsignedLeb(functions.length, declarations);
  functions.forEach((_, i) => unsignedLeb(i, declarations));
  section(3, declarations, out);
  const exports: number[] = [];
  unsignedLeb(functions.length, exports);
  functions.forEach((fn, i) => {
    name(fn.exportName, exports);
    exports.push(0x00);
    unsignedLeb(i, exports);
  });
  section(7, exports, out);
  const code: number[] = [];
  unsignedLeb(functions.length, code);
  for (const fn of functions) code.push(...fn.encodeBody());
  section(10, code, out);
  return new Uint8Array(out);
}
