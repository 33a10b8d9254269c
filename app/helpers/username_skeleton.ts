import unhomoglyph from 'unhomoglyph'

/**
 * The confusable skeleton of a username (Unicode TR39, from the
 * confusables table `unhomoglyph` ships), folded the way the username
 * column's collation folds (case, accents). Two usernames with one
 * skeleton look alike — "admin", "аdmin" (Cyrillic а), "adrnin" — and
 * only the first to register gets it. Default-ignorable code points
 * (Hangul fillers, zero-width characters) show as nothing and go first,
 * so "admin" padded with them is still "admin".
 */
export function usernameSkeleton(username: string) {
  const folded = username
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
  return unhomoglyph(unhomoglyph(folded).toLowerCase())
}
