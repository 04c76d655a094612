"""What every service's documents share: fonts, QR codes, the Decree 30/2020 layout."""
