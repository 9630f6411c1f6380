import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { join } from 'node:path';

/** Every public function: a summary, @param for each parameter, @returns and an @example. */
describe('API documentation', () => {
  it('every exported function is documented with summary, params, returns and example', () => {
    const entries = [
      join(__dirname, '..', '..', 'src', 'index.ts'),
      join(__dirname, '..', '..', 'src', 'node', 'index.ts'),
      join(__dirname, '..', '..', 'src', 'html', 'index.ts'),
      join(__dirname, '..', '..', 'src', 'data', 'index.ts'),
      join(__dirname, '..', '..', 'src', 'testing', 'index.ts'),
    ];
    const program = ts.createProgram(entries, {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      module: ts.ModuleKind.ESNext,
      types: ['node'],
    });
    const checker = program.getTypeChecker();
    const problems: string[] = [];
    let checked = 0;
    const exports = entries.flatMap((entry) =>
      checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!),
    );
    for (const exported of exports) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decl = symbol.declarations?.[0];
      if (decl === undefined || !ts.isFunctionDeclaration(decl)) continue;
      checked++;
      const name = exported.getName();
      const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      const tags = ts.getJSDocTags(decl);
      const tagNames = tags.map((t) => t.tagName.text);
      if (summary === '') problems.push(`${name}: no summary`);
      if (!tagNames.includes('returns')) problems.push(`${name}: no @returns`);
      if (!tagNames.includes('example')) problems.push(`${name}: no @example`);
      const documented = new Set(tags.filter(ts.isJSDocParameterTag).map((t) => t.name.getText()));
      for (const p of decl.parameters)
        if (!documented.has(p.name.getText())) problems.push(`${name}: no @param ${p.name.getText()}`);
      if (/\bthrow new\b/.test(decl.getText()) && !tagNames.includes('throws'))
        problems.push(`${name}: throws but has no @throws`);
    }
    expect(checked).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  });
});
