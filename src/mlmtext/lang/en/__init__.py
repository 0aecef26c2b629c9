"""Language data (plain files): claim rules, stance cues, explanations; a package so they ship."""
