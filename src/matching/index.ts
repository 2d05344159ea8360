// The matching API used by the planner, the preview route and the scripts. Per day:
// compileTopics(topics from the database) → prepareDay(papers, topics); per distinct
// interest set: compileInterests(interests) → rankForReader(day, interests) or
// matchPapers(day, interests). Nothing here reads the clock, the network or the disk.
export type { CompiledTerm, CompiledVocabulary } from './compile-vocabulary'
export { compileTerm, compileVocabulary, Vocabulary, VocabularyEntry } from './compile-vocabulary'
export type { CompiledInterests, FollowedAuthor, InterestsInput } from './interests'
export { compileInterests, Interests, interestKey, selectsNothing } from './interests'
export type { PaperMatch } from './match-papers'
export { matchPapers } from './match-papers'
export type { FieldIndex, MatchablePaper, PaperIndex } from './paper-index'
export { indexPaper } from './paper-index'
export type { CompiledTopic, KeywordMatch, PreparedDay, TopicDefinition, TopicMatch } from './prepare-day'
export { compileTopics, prepareDay, TOPIC_THRESHOLD } from './prepare-day'
export type { RankedPaper, RankOptions } from './rank-for-reader'
export { rankForReader } from './rank-for-reader'
export { DEFAULT_MODEL_PATH, readTopicModel } from './read-topic-model'
export { normaliseTitle, tokenise } from './text-normalise'
export type { TopicModel } from './topic-model'
