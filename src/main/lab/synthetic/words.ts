// Word pools for the synthetic tasks. Short names keep questions short: the student these datasets
// are for is a small character-level model with a context of a few hundred characters.

/** Three-letter-ish first names, used as actors in coin_flip, shuffled_objects and arithmetic. */
export const SHORT_NAMES: readonly string[] = [
  'Ann', 'Bob', 'Cy', 'Dee', 'Eve', 'Fay', 'Gus', 'Hal', 'Ida', 'Jo', 'Kim', 'Lee', 'Max',
  'Ned', 'Oli', 'Pam', 'Ray', 'Sam', 'Tom', 'Uma', 'Val', 'Wes', 'Zoe', 'Ben', 'Mia',
];

/** Names for last_letters: varied endings so the answers cover many letters. */
export const LETTER_WORDS: readonly string[] = [
  'Elon', 'Musk', 'Larry', 'Page', 'Lady', 'Gaga', 'Maria', 'Chen', 'David', 'Kumar', 'Sofia',
  'Ruiz', 'Omar', 'Khan', 'Lucy', 'Hale', 'Ivan', 'Petrov', 'Nina', 'Brooks', 'Oscar', 'Wilde',
  'Grace', 'Hopper', 'Alan', 'Turing', 'Ada', 'Byron', 'Emma', 'Stone', 'Jack', 'Black', 'Rosa',
  'Parks', 'Frida', 'Kahlo', 'Pablo', 'Diaz', 'Yuki', 'Tanaka', 'Amir', 'Haddad', 'Leah', 'Cohen',
  'Felix', 'Meyer', 'Zara', 'Quinn', 'Hugo', 'Vidal', 'Ruth', 'Ginsburg', 'Mark', 'Twain',
];

export const COLORS: readonly string[] = ['red', 'blue', 'green', 'pink', 'white', 'black', 'brown', 'gray', 'gold'];
