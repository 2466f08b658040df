/** The base image catalogue, its file trees and its registry hives. See README.md. */
export * from './catalog.js';
export * from './hives.js';
export { imageTreeSpec, populateImageTree, treeClockFor, type ImageTreeSpec, type PopulateStats, type TreeClock, type TreeContent, type TreeNode, type TreeTime } from './tree.js';
