"""One module per `zone` subcommand: `configure(parser)` and `run(args, env)`."""
