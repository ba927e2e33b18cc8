/**
 * Every TypeScript block of the README is a complete program: it type-checks against the library as a user's
 * app would (`import ... from 'cdk8s-tempo'`), and it runs, synthesizing manifests into a temporary folder.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
// Inside node_modules/, so the blocks resolve cdk8s, cdk8s-plus-28 and constructs exactly as the project does.
const WORK = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-tempo-readme');

interface Block { readonly index: number; readonly line: number; readonly code: string; readonly file: string }

function readmeBlocks(): Block[] {
  const text = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const blocks: Block[] = [];
  const fence = /^```(ts|typescript)\n([\s\S]*?)^```/gm;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    const index = blocks.length + 1;
    blocks.push({ index, line: text.slice(0, m.index).split('\n').length, code: m[2], file: path.join(WORK, `readme-block-${index}.ts`) });
  }
  return blocks;
}

const blocks = readmeBlocks();

beforeAll(() => {
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
  for (const b of blocks) fs.writeFileSync(b.file, b.code);
});

describe('README TypeScript examples', () => {
  test('there are examples, and each is a whole program (imports the library, synthesizes)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    for (const b of blocks) {
      expect({ line: b.line, imports: /from 'cdk8s-tempo'/.test(b.code), synth: /\.synth\(\)/.test(b.code) }).toEqual({ line: b.line, imports: true, synth: true });
    }
  });

  test('every example type-checks against the library (strict)', () => {
    const program = ts.createProgram(blocks.map((b) => b.file), {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      strict: true,
      noEmit: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      baseUrl: ROOT,
      paths: { 'cdk8s-tempo': ['lib/index.ts'] },
    });
    const problems = ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file && d.file.fileName.startsWith(WORK))
      .map((d) => {
        const b = blocks.find((x) => x.file === d.file!.fileName)!;
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `README.md:${b.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  });

  test.each(blocks.map((b) => [b.line, b] as const))('the example at README.md:%i runs and writes manifests', (_line, b) => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-tempo-readme-'));
    try {
      const res = spawnSync(process.execPath, ['-r', path.join(ROOT, 'scripts', 'ts-register.js'), '-r', path.join(ROOT, 'test', 'support', 'alias-cdk8s-tempo.js'), b.file], {
        cwd: out, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
      });
      expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: '' });
      const written = fs.readdirSync(path.join(out, 'dist'), { recursive: true }) as string[];
      expect(written.filter((f) => f.endsWith('.yaml')).length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
