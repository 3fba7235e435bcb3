from lettersmith.entry import main

main(prog="python -m lettersmith")
