"""The words a user chooses among on the command line, in a module light enough to load at start-up."""

METHODS = ("support", "reliability")  # how consensus weighs claims: independent origins, or estimated reliability
JUDGES = ("outlet", "source")  # who is judged: each outlet (a site crawled on many days is one), or each source key
