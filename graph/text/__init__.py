"""From news text to candidate events: sentences, actor and trigger dictionaries, rules, review sheets.

The design follows the dictionary-and-rule event coders (TABARI, PETRARCH) on the analyst's own
vocabulary: actors come from ``nodes.csv`` plus a shipped country table, actions from the keywords of
``edge_types.csv``; no parser and no model. Every candidate keeps the spans and the rule that made it.
"""
