"""Let hooks add generated files (File.generated) next to mkdocs-static-i18n.

i18n's on_files (priority -100) expects every file to have a source path and
crashes on generated ones (abs_src_path is None). Set them aside just before
i18n runs and put them back right after, unchanged: they are shared by all
languages, like theme files. (`on_nav` still comes before any page is
rendered, so links to these files resolve as usual.)
"""

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

_held: list[File] = []


@event_priority(-90)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    _held[:] = [f for f in files if f.abs_src_path is None]
    for f in _held:
        files.remove(f)
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    for f in _held:
        files.append(f)
    _held.clear()
    return nav
