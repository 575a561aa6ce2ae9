"""Reading text: how a phrase is read (parse) and drafting claims from an article (extract)."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.app import Context, PartialDateType, cli, pass_context
from ledger.core.readings import ATTRIBUTE_KINDS
from ledger.output import detail_options


@cli.command()
@click.argument("phrase")
@click.option("--published", type=PartialDateType(), help="Publication date the phrase is read against.")
@click.option("--kind", type=click.Choice(ATTRIBUTE_KINDS), help="Read the phrase as this kind.")
@click.option("--when", "as_time", is_flag=True, help="Read the phrase as a claim's time (`when`).")
@click.option("--language", default="en", show_default=True, help="Language of the source (number separators).")
@detail_options
def parse(phrase: str, published, kind, as_time: bool, language: str, fmt: str) -> None:
    """Show how the ledger reads a value or time phrase.

    \b
    Examples:
        ledger parse "nearly one million euros" --published 2021-10
        ledger parse "late October" --published 2019-07-02 --kind date
    """
    from ledger.core.explain import explain_phrase
    from ledger.report import phrases

    result = explain_phrase(phrase, published=published, kind=kind, as_time=as_time, language=language)
    click.echo(phrases.render(result, fmt))


@cli.command()
@click.argument("article", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", "source_key", required=True, help="Key of the article's source (new, or in the ledger).")
@click.option("--published", type=PartialDateType(), help="Publication date (default: the ledger's, else a date line near the top).")
@click.option("--language", help="Language of the article (default: the ledger's, else en).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the draft here (default: stdout).")
@pass_context
def extract(context: Context, article, source_key: str, published, language, output) -> None:
    """Draft claims from an article: every figure and date the ledger reads.

    Writes a claim file marked `draft: true`, guesses as comments and nulls to
    fill in; `ledger import` refuses it until it is finished. Without ARTICLE,
    drafts from the text of a source already in the ledger.

    \b
    Examples:
        ledger extract seeds/articles/000_9122ee10dc43282d.txt --source korybko --published 2019-07-02 -o draft.yaml
        ledger extract --source gr-klomegah-2021
    """
    from ledger import drafts

    draft = drafts.extract_draft(context.db, article, source_key, published, language, output)
    if output is None:
        click.echo(draft.text, nl=False)
    click.echo(f"{draft.claims} draft claims{f' written to {output}' if output else ''}; "
               "check them, fill in the nulls, delete `draft: true`, then `ledger import`.", err=True)
