// The MSBuild task (RoslynCodeTaskFactory, compiled by MSBuild, not part of this project's assembly) that turns the
// ```csharp blocks of the markdown files into C# files. One file per block:
//   - a plain block is the body of its own static method, `DocSnippets.<file>.L<line>.Run()`;
//   - a block whose fence says ```csharp declarations holds types, placed in the file's namespace (so the other blocks
//     of the same markdown file can use them);
//   - a block whose fence says ```csharp internal shows internal API (contributor notes) and is not compiled, since
//     no outside assembly can see it; each one is listed in the build output.
// Leading `using X;` lines of a block become usings of its file. `#line` directives map every line back to the
// markdown file, so a compile error reads `README.md(123,17): error CS1061: ...`.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class ExtractCSharpSnippets : Task
{
    [Required]
    public ITaskItem[] Markdown { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string Root { get; set; } = "";

    [Required]
    public string OutputDirectory { get; set; } = "";

    [Output]
    public ITaskItem[] Generated { get; set; } = Array.Empty<ITaskItem>();

    private static readonly Regex UsingDirective =
        new Regex(@"^\s*(global\s+)?using\s+(static\s+)?([A-Za-z_][\w.]*|[A-Za-z_]\w*\s*=\s*[\w.<>, ]+)\s*;\s*(//.*)?$");

    private static readonly string[] Languages = { "csharp", "cs", "c#" };

    public override bool Execute()
    {
        var generated = new List<string>();
        int compiled = 0, skipped = 0;
        foreach (var item in Markdown.OrderBy(m => m.ItemSpec, StringComparer.Ordinal))
        {
            string path = Path.GetFullPath(item.ItemSpec);
            string relative = Relative(path);
            string ns = "DocSnippets." + Identifier(relative);
            var lines = File.ReadAllLines(path);
            foreach (var block in Blocks(lines))
            {
                if (block.Error != null)
                {
                    Log.LogError(null, null, null, path, block.FenceLine, 1, 0, 0, block.Error);
                    continue;
                }
                if (block.Flags.Contains("internal"))
                {
                    skipped++;
                    Log.LogMessage(MessageImportance.High,
                        $"{relative}({block.FenceLine}): ```csharp internal: shows internal API, not compiled");
                    continue;
                }
                string file = Path.Combine(OutputDirectory, Identifier(relative) + "_L" + block.FenceLine + ".g.cs");
                WriteIfChanged(file, Render(path, ns, block, lines));
                generated.Add(Path.GetFullPath(file));
                compiled++;
            }
        }

        // Blocks that were removed or moved leave stale files: delete them, or they would still compile.
        foreach (var stale in Directory.GetFiles(OutputDirectory, "*.g.cs"))
            if (!generated.Contains(Path.GetFullPath(stale), StringComparer.Ordinal)) File.Delete(stale);

        Generated = generated.Select(f => (ITaskItem)new TaskItem(f)).ToArray();
        Log.LogMessage(MessageImportance.High,
            $"MLNeuro.Snippets: {compiled} C# blocks from {Markdown.Length} markdown files to compile" +
            (skipped > 0 ? $", {skipped} marked internal and not compiled" : ""));
        return !Log.HasLoggedErrors;
    }

    private sealed class Block
    {
        public int FenceLine;              // 1-based line of the opening fence
        public int First, End;             // 0-based content lines [First, End)
        public HashSet<string> Flags = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        public string Error;
    }

    private static IEnumerable<Block> Blocks(string[] lines)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            string trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("```", StringComparison.Ordinal)) continue;
            string fence = new string('`', trimmed.TakeWhile(c => c == '`').Count());
            var info = trimmed.Substring(fence.Length).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            int close = i + 1;
            while (close < lines.Length && lines[close].Trim() != fence) close++;
            bool isCSharp = info.Length > 0 && Languages.Contains(info[0].ToLowerInvariant());
            if (isCSharp)
            {
                var block = new Block { FenceLine = i + 1, First = i + 1, End = close };
                foreach (var flag in info.Skip(1)) block.Flags.Add(flag);
                foreach (var flag in block.Flags)
                    if (!flag.Equals("declarations", StringComparison.OrdinalIgnoreCase) && !flag.Equals("internal", StringComparison.OrdinalIgnoreCase))
                        block.Error = $"unknown fence flag '{flag}' (known: declarations, internal)";
                if (close >= lines.Length) block.Error = "```csharp block is never closed";
                yield return block;
            }
            i = close;   // skip the body of every fenced block, whatever its language
        }
    }

    private static string Render(string path, string ns, Block block, string[] lines)
    {
        string quoted = "\"" + path.Replace("\\", "\\\\") + "\"";
        var sb = new StringBuilder();
        sb.AppendLine("// Generated by MLNeuro.Snippets from " + Path.GetFileName(path) + "; edit the markdown, not this file.");
        sb.AppendLine("#nullable enable");

        // Using directives at the top of the block (among blank and comment lines) become the file's usings; they are
        // blanked in the body, which keeps one #line mapping for it.
        var hoisted = new HashSet<int>();
        for (int k = block.First; k < block.End; k++)
        {
            string t = lines[k].Trim();
            if (t.Length == 0 || t.StartsWith("//", StringComparison.Ordinal)) continue;
            if (!UsingDirective.IsMatch(lines[k])) break;
            hoisted.Add(k);
            sb.AppendLine("#line " + (k + 1) + " " + quoted);
            sb.AppendLine(lines[k]);
            sb.AppendLine("#line default");
        }
        int body = block.First;

        sb.AppendLine("namespace " + ns);
        sb.AppendLine("{");
        bool declarations = block.Flags.Contains("declarations");
        if (!declarations)
        {
            bool async = Enumerable.Range(body, block.End - body).Any(k => Regex.IsMatch(lines[k], @"\bawait\b"));
            sb.AppendLine("internal static class L" + block.FenceLine);
            sb.AppendLine("{");
            sb.AppendLine(async ? "internal static async System.Threading.Tasks.Task Run()" : "internal static void Run()");
            sb.AppendLine("{");
        }
        sb.AppendLine("#line " + (body + 1) + " " + quoted);
        for (int k = body; k < block.End; k++) sb.AppendLine(hoisted.Contains(k) ? "" : lines[k]);
        sb.AppendLine("#line default");
        if (!declarations) sb.AppendLine("}").AppendLine("}");
        sb.AppendLine("}");
        return sb.ToString();
    }

    private string Relative(string path)
    {
        string root = Path.GetFullPath(Root).TrimEnd('/', '\\') + Path.DirectorySeparatorChar;
        return path.StartsWith(root, StringComparison.Ordinal) ? path.Substring(root.Length) : Path.GetFileName(path);
    }

    private static string Identifier(string relative)
    {
        var sb = new StringBuilder();
        foreach (char c in relative) sb.Append(char.IsLetterOrDigit(c) ? c : '_');
        if (sb.Length == 0 || char.IsDigit(sb[0])) sb.Insert(0, '_');
        return sb.ToString();
    }

    private static void WriteIfChanged(string file, string text)
    {
        // Unchanged files keep their time stamps, so an unchanged build does not recompile.
        if (File.Exists(file) && File.ReadAllText(file) == text) return;
        File.WriteAllText(file, text);
    }
}
