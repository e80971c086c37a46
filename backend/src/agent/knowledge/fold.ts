/** Lowercase without accents: how questions, entries and stopwords are compared. */
export const fold = (text: string): string => text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
