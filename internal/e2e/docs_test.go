package e2e

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// A documented configuration, as a page shows it.
type snippet struct {
	page string // relative to the repository, e.g. docs/guides/large-fleets.md
	line int
	text string
}

func (s snippet) String() string { return fmt.Sprintf("%s:%d", s.page, s.line) }

// fence is a fenced block of Terraform configuration, indented or not.
var fence = regexp.MustCompile("(?m)^([ \t]*)```(?:terraform|hcl)\n((?:.*\n)*?)[ \t]*```")

// registryPages are the pages docs/ publishes to the Terraform Registry,
// relative to the repository.
func registryPages(t *testing.T) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(filepath.Join("..", "..", "docs"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			pages = append(pages, strings.TrimPrefix(path, filepath.Join("..", "..")+string(filepath.Separator)))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// docSnippets are every configuration in the README and the Registry pages.
func docSnippets(t *testing.T) []snippet {
	t.Helper()
	var out []snippet
	for _, page := range append([]string{"README.md"}, registryPages(t)...) {
		raw := readFile(t, filepath.Join("..", "..", page))
		for _, m := range fence.FindAllStringSubmatchIndex(raw, -1) {
			indent, body := raw[m[2]:m[3]], raw[m[4]:m[5]]
			lines := strings.Split(body, "\n")
			for i, l := range lines {
				lines[i] = strings.TrimPrefix(l, indent)
			}
			if strings.HasSuffix(strings.SplitN(lines[0], "\n", 2)[0], ".tftest.hcl") {
				continue // a test file, run with its module by TestTestingGuideAsWritten
			}
			out = append(out, snippet{page: page, line: strings.Count(raw[:m[0]], "\n") + 1, text: strings.Join(lines, "\n")})
		}
	}
	return out
}

// pageSnippet is the configuration of a page that holds the given text.
func pageSnippet(t *testing.T, page, holding string) snippet {
	t.Helper()
	for _, s := range docSnippets(t) {
		if s.page == page && strings.Contains(s.text, holding) {
			return s
		}
	}
	t.Fatalf("no configuration holding %q in %s", holding, page)
	return snippet{}
}

// usesProvider is the Terraform Registry's "use provider" block, the
// configuration a query file needs beside it.
const usesProvider = `terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "0.1.0"
    }
  }
}

provider "sovx" {
  # Configuration options
}
`

// pasted is a workspace with the snippet pasted into an empty directory, in
// a file named as its page says (a list block in a .tfquery.hcl file), and
// initialized. Every configuration must say which providers it needs, as
// pasted alone; a query file gets the Registry's "use provider" block beside it.
func pasted(t *testing.T, api *sovxtest.Server, s snippet) *workspace {
	t.Helper()
	w := emptyWorkspace(t, api)
	if strings.Contains(s.text, "Mastercard/restapi") {
		w.useStandIn("restapi")
	}
	file := "main.tf"
	if strings.Contains(s.text, "\nlist \"") || strings.HasPrefix(s.text, "list \"") {
		file = "webhooks.tfquery.hcl"
	}
	w.writeFile(file, s.text)
	if file != "main.tf" {
		// A query file holds no terraform block: its page puts it beside a
		// configuration that uses the provider.
		w.writeFile("provider.tf", usesProvider)
	}
	w.mustRun("init", "-no-color")
	return w
}

// requireFeatures skips a snippet on an engine older than what it uses.
func requireFeatures(t *testing.T, text string) {
	t.Helper()
	switch {
	case strings.Contains(text, "action \""), strings.Contains(text, "list \""):
		requireTerraform(t, "1.14")
	case strings.Contains(text, "identity = {") && engine == "Terraform":
		requireTerraform(t, "1.12")
	}
}

// Every configuration in the README and on the Registry's pages validates
// as pasted into an empty directory.
func TestEverySnippetValidatesAsPasted(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Strict: true})
	defer api.Close()
	snippets := docSnippets(t)
	if len(snippets) < 15 {
		t.Fatalf("found %d configurations in the README and docs/: the pattern misses some", len(snippets))
	}
	for _, s := range snippets {
		t.Run(s.String(), func(t *testing.T) {
			t.Parallel()
			requireFeatures(t, s.text)
			w := pasted(t, api, s)
			w.mustRun("validate", "-no-color")
		})
	}
}

// internals are what a user of the Registry's pages has no use for: the
// provider's source files and tests, Terraform's walks and private state,
// the Go runtime's settings. They belong in CONTRIBUTING.
var internals = regexp.MustCompile(`internal/|\b[\w/]+\.go(?:[^.\w]|$)|\bTest[A-Z]\w*|_test\b|\bwalk\b|[Pp]rivate state|\bGO(GC|MEMLIMIT|MAXPROCS|DEBUG)\b`)

func TestRegistryPagesNameNoInternals(t *testing.T) {
	pages := registryPages(t)
	if len(pages) < 8 {
		t.Fatalf("found %d pages under docs/: the walk misses some", len(pages))
	}
	for _, page := range pages {
		for i, line := range strings.Split(readFile(t, filepath.Join("..", "..", page)), "\n") {
			for _, m := range internals.FindAllString(line, -1) {
				t.Errorf("%s:%d names %q, an internal; say what the user sees and does, and move the rest to CONTRIBUTING", page, i+1, m)
			}
		}
	}
}

// pastedFile is what a snippet was written to, for tests that edit it as a
// reader would.
func (w *workspace) pastedFile() string {
	for _, name := range []string{"main.tf", "webhooks.tfquery.hcl"} {
		if _, err := os.Stat(filepath.Join(w.dir, name)); err == nil {
			return name
		}
	}
	w.t.Fatal("no pasted snippet in the workspace")
	return ""
}
