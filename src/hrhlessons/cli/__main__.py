from hrhlessons.cli.app import main

main()
