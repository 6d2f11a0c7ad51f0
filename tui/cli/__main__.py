from tui.cli import main

main(prog_name="lotkeeper")
